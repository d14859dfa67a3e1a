import Foundation
import KubeModel

/// `kubectl get rolebindings` and `clusterrolebindings`: NAME ROLE AGE, wide USERS GROUPS
/// SERVICEACCOUNTS.
public struct RoleBindingTableConvertor: TableConvertor {
    /// `true` for ClusterRoleBindings (only the column descriptions differ).
    public var clusterScoped: Bool

    public init(clusterScoped: Bool = false) {
        self.clusterScoped = clusterScoped
    }

    public var columns: [TableColumnDefinition] {
        let kind = clusterScoped ? "clusterRoleBinding" : "roleBinding"
        return [
            Printers.name,
            Printers.column("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
            Printers.age,
            Printers.column("Users", "Users in the \(kind)", priority: 1),
            Printers.column("Groups", "Groups in the \(kind)", priority: 1),
            Printers.column("ServiceAccounts", "ServiceAccounts in the \(kind)", priority: 1),
        ]
    }

    public func cells(for object: any KubeObject, now: Date) -> [JSONValue] {
        if let binding = object as? RbacV1.RoleBinding {
            return Self.row(object, roleRef: binding.roleRef, subjects: binding.subjects, now: now)
        }
        if let binding = object as? RbacV1.ClusterRoleBinding {
            return Self.row(object, roleRef: binding.roleRef, subjects: binding.subjects, now: now)
        }
        return Printers.placeholderRow(for: object, columns: columns, now: now)
    }

    static func row(_ object: any KubeObject, roleRef: RbacV1.RoleRef, subjects: [RbacV1.Subject]?, now: Date) -> [JSONValue] {
        let split = Self.subjects(subjects ?? [])
        return [
            .string(object.metadata.name ?? ""),
            .string("\(roleRef.kind)/\(roleRef.name)"),
            Printers.age(object, now: now),
            .string(split.users.joined(separator: ", ")),
            .string(split.groups.joined(separator: ", ")),
            .string(split.serviceAccounts.joined(separator: ", ")),
        ]
    }

    /// Upstream `rbac.SubjectsStrings`: user and group names, `namespace/name` of service accounts.
    static func subjects(_ subjects: [RbacV1.Subject]) -> (users: [String], groups: [String], serviceAccounts: [String]) {
        var users: [String] = [], groups: [String] = [], accounts: [String] = []
        for subject in subjects {
            switch subject.kind {
            case "ServiceAccount": accounts.append("\(subject.namespace ?? "")/\(subject.name)")
            case "User": users.append(subject.name)
            case "Group": groups.append(subject.name)
            default: break
            }
        }
        return (users, groups, accounts)
    }
}
