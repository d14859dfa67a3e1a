import KubeModel
import Testing
@testable import KubeAPIServer

/// Upstream's container image checks: blank (after `strings.TrimSpace`) is required, leading
/// or trailing whitespace is invalid.
@Suite("Container image validation")
struct ContainerImageValidationTests {
    @Test(arguments: [
        ("busybox", nil),
        ("registry.k8s.io/pause:3.10", nil),
        ("", "FieldValueRequired"),
        ("   ", "FieldValueRequired"),
        ("\t\n", "FieldValueRequired"),
        (" busybox", "FieldValueInvalid"),
        ("busybox\n", "FieldValueInvalid"),
    ] as [(String, String?)])
    func image(_ image: String, _ reason: String?) {
        var names: Set<String> = []
        let container = CoreV1.Container(image: image, name: "c")
        let causes = PodSpecValidation.validateContainer(
            container, path: ValidationPath("spec.containers[0]"), names: &names, volumes: [])
            .filter { $0.field == "spec.containers[0].image" }
        #expect(causes.map(\.reason) == (reason.map { [$0] } ?? []))
    }
}
