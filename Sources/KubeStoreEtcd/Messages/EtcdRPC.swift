/// Namespace for etcd's v3 API messages (packages `etcdserverpb` and `mvccpb`); see
/// ``EtcdMessage``. Names follow the .proto files, in Swift case.
enum EtcdRPC {}
