import Foundation
import KubeModel

/// The create-only review resources, answered at once and never stored: self subject access and
/// rules reviews (`kubectl auth can-i`), subject access reviews, self subject reviews
/// (`kubectl auth whoami`). Until RBAC lands every authenticated user may do everything, so
/// every access review is allowed.
extension ResourceRegistry {
    static let reviewResources: Set<String> = [
        "authorization.k8s.io/selfsubjectaccessreviews", "authorization.k8s.io/selfsubjectrulesreviews",
        "authorization.k8s.io/subjectaccessreviews", "authorization.k8s.io/localsubjectaccessreviews",
        "authentication.k8s.io/selfsubjectreviews",
    ]

    static func isReview(_ resource: KubeResource) -> Bool {
        reviewResources.contains("\(resource.group)/\(resource.resource)")
    }

    func review(_ request: APIRequest, resource: KubeResource) throws -> APIResult {
        let (decoded, warnings) = try Self.decodeValidatedBody(request, as: resource, optionsKind: "CreateOptions")
        try Self.checkTypeMeta(decoded, resource)
        var object = decoded
        object.apiVersion = resource.apiVersion
        object.kind = resource.kind
        let allowed = AuthorizationV1.SubjectAccessReviewStatus(allowed: true, reason: "authenticated users may do everything until RBAC is enforced")
        switch object {
        case var review as AuthorizationV1.SelfSubjectAccessReview:
            review.status = allowed
            object = review
        case var review as AuthorizationV1.SubjectAccessReview:
            review.status = allowed
            object = review
        case var review as AuthorizationV1.LocalSubjectAccessReview:
            review.status = allowed
            object = review
        case var review as AuthorizationV1.SelfSubjectRulesReview:
            review.status = AuthorizationV1.SubjectRulesReviewStatus(
                incomplete: false,
                nonResourceRules: [AuthorizationV1.NonResourceRule(nonResourceURLs: ["*"], verbs: ["*"])],
                resourceRules: [AuthorizationV1.ResourceRule(apiGroups: ["*"], resources: ["*"], verbs: ["*"])])
            object = review
        case var review as AuthenticationV1.SelfSubjectReview:
            let user = request.user
            review.status = AuthenticationV1.SelfSubjectReviewStatus(userInfo: AuthenticationV1.UserInfo(
                groups: user.groups + ["system:authenticated"], uid: user.uid.isEmpty ? nil : user.uid, username: user.name))
            object = review
        default:
            throw APIError.methodNotAllowed
        }
        return APIResult.object(object, code: 201).addingWarnings(warnings)
    }
}
