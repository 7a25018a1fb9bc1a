// Jest project `e2e-mysql`: the MySQL half of each end-to-end file (see testDialects()).
process.env.JOBMON_TEST_DIALECT = 'mysql';
