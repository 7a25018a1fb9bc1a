// Jest project `e2e`: the SQLite half of each end-to-end file (see testDialects()).
process.env.JOBMON_TEST_DIALECT = 'sqlite';
