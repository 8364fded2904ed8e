/**
 * Built-in catalog of well-known System policies. A real account lists more than a thousand of them;
 * this handful is enough to make a scanner prove it lists System policies without fetching the
 * documents of the ones nobody is attached to. Documents follow the published policies' shape.
 */

/** One System policy of the catalog. */
export interface SystemPolicy {
  name: string;
  description: string;
  defaultVersion: string;
  /** Fixed dates: System policies are old and do not move with the scenario clock. */
  createDate: string;
  updateDate: string;
  document: { Version: '1'; Statement: Record<string, unknown>[] };
}

function allow(action: string | string[], resource: string | string[] = '*'): Record<string, unknown> {
  return { Action: action, Resource: resource, Effect: 'Allow' };
}

function full(name: string, service: string, title: string, extra: Record<string, unknown>[] = []): SystemPolicy {
  return policy(name, `Provides full access to ${title} via Management Console.`, [allow(`${service}:*`), ...extra]);
}

function readOnly(name: string, service: string, title: string, verbs = ['Describe*', 'List*', 'Get*']): SystemPolicy {
  return policy(
    name,
    `Provides read-only access to ${title} via Management Console.`,
    [allow(verbs.map((v) => `${service}:${v}`))],
  );
}

function policy(name: string, description: string, statement: Record<string, unknown>[], version = 'v1'): SystemPolicy {
  return {
    name,
    description,
    defaultVersion: version,
    createDate: '2015-04-28T16:00:00Z',
    updateDate: '2023-06-15T08:00:00Z',
    document: { Version: '1', Statement: statement },
  };
}

/** The catalog, in the order ListPolicies returns it. */
export const SYSTEM_POLICIES: readonly SystemPolicy[] = [
  policy('AdministratorAccess', 'Provides full access to Alibaba Cloud services and resources.', [allow('*')]),
  policy(
    'ReadOnlyAccess',
    'Provides read-only access to Alibaba Cloud services and resources.',
    [
      allow([
        '*:Describe*',
        '*:List*',
        '*:Get*',
        '*:BatchGet*',
        '*:Query*',
        '*:BatchQuery*',
        'actiontrail:LookupEvents',
        'actiontrail:Check*',
        'dm:Desc*',
        'dm:SenderStatistics*',
        'ram:GenerateCredentialReport',
      ]),
    ],
    'v12',
  ),
  full('AliyunRAMFullAccess', 'ram', 'Resource Access Management (RAM)'),
  readOnly('AliyunRAMReadOnlyAccess', 'ram', 'Resource Access Management (RAM)', ['Get*', 'List*']),
  policy('AliyunSTSAssumeRoleAccess', 'Provides access to call the STS AssumeRole API.', [allow('sts:AssumeRole')]),
  full('AliyunECSFullAccess', 'ecs', 'Elastic Compute Service (ECS)', [
    allow(['vpc:DescribeVpcs', 'vpc:DescribeVSwitches', 'vpc:DescribeVRouters']),
  ]),
  readOnly('AliyunECSReadOnlyAccess', 'ecs', 'Elastic Compute Service (ECS)'),
  full('AliyunOSSFullAccess', 'oss', 'Object Storage Service (OSS)'),
  readOnly('AliyunOSSReadOnlyAccess', 'oss', 'Object Storage Service (OSS)', ['Get*', 'List*']),
  full('AliyunVPCFullAccess', 'vpc', 'Virtual Private Cloud (VPC)'),
  full('AliyunRDSFullAccess', 'rds', 'ApsaraDB RDS', [allow(['vpc:DescribeVpcs', 'vpc:DescribeVSwitches'])]),
  full('AliyunSLBFullAccess', 'slb', 'Server Load Balancer (SLB)'),
  full('AliyunKMSFullAccess', 'kms', 'Key Management Service (KMS)'),
  full('AliyunFCFullAccess', 'fc', 'Function Compute (FC)'),
  full('AliyunLogFullAccess', 'log', 'Log Service (SLS)'),
  readOnly('AliyunLogReadOnlyAccess', 'log', 'Log Service (SLS)', ['Get*', 'List*']),
  full('AliyunActionTrailFullAccess', 'actiontrail', 'ActionTrail', [
    allow(['oss:ListBuckets', 'oss:GetBucketLocation', 'log:ListProject', 'ram:ListRoles']),
  ]),
  readOnly('AliyunActionTrailReadOnlyAccess', 'actiontrail', 'ActionTrail', ['Describe*', 'Get*', 'LookupEvents']),
  readOnly('AliyunCloudMonitorReadOnlyAccess', 'cms', 'CloudMonitor', ['Describe*', 'List*', 'Get*', 'Query*']),
];
