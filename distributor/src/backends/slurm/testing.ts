// `scontrol show partition|node --oneliner` of a small cluster, for the Slurm backend's tests.

export const PARTITIONS = [
  'PartitionName=short AllowGroups=ALL Default=YES MaxNodes=UNLIMITED MaxTime=00:02:00 MinNodes=0 MaxCPUsPerNode=UNLIMITED Nodes=vm State=UP TotalCPUs=4 DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED',
  'PartitionName=long AllowGroups=ALL Default=NO MaxTime=1-00:00:00 MaxCPUsPerNode=2 Nodes=vm,big State=UP MaxMemPerNode=8000',
  'PartitionName=gpu Default=NO MaxTime=UNLIMITED Nodes=big State=UP MaxMemPerNode=UNLIMITED',
].join('\n');
export const NODES = [
  'NodeName=vm Arch=x86_64 CoresPerSocket=1 CPUAlloc=0 CPUTot=4 RealMemory=23081 AllocMem=0 State=IDLE Partitions=short,long  BootTime=2026-11-26T21:42:47',
  'NodeName=big CPUTot=64 RealMemory=512000 State=MIXED Partitions=long,gpu Reason=maintenance soon [root@2026]',
].join('\n');
