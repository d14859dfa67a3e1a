import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

struct DiscoveryDocumentsTests {
    static let documents = DiscoveryDocuments()

    static func json(_ bytes: [UInt8]?) throws -> [String: Any] {
        let bytes = try #require(bytes)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func apiVersionsListsV1WithServerAddresses() throws {
        let doc = try Self.json(Self.documents.apiVersions)
        #expect(doc["kind"] as? String == "APIVersions")
        #expect(doc["versions"] as? [String] == ["v1"])
        let cidrs = try #require(doc["serverAddressByClientCIDRs"] as? [[String: Any]])
        #expect(cidrs.first?["clientCIDR"] as? String == "0.0.0.0/0")
    }

    @Test func apiGroupListHasPreferredVersions() throws {
        let doc = try Self.json(Self.documents.apiGroupList)
        #expect(doc["kind"] as? String == "APIGroupList")
        let groups = try #require(doc["groups"] as? [[String: Any]])
        #expect(!groups.contains { ($0["name"] as? String) == "" })
        let autoscaling = try #require(groups.first { $0["name"] as? String == "autoscaling" })
        let preferred = try #require(autoscaling["preferredVersion"] as? [String: Any])
        #expect(preferred["groupVersion"] as? String == "autoscaling/v2")
        let apps = try Self.json(Self.documents.apiGroup(named: "apps"))
        #expect(apps["kind"] as? String == "APIGroup")
        #expect(Self.documents.apiGroup(named: "nope.example.com") == nil)
    }

    @Test func coreResourceListHasShortNamesAndSubresources() throws {
        let doc = try Self.json(Self.documents.resourceList(group: "", version: "v1"))
        #expect(doc["groupVersion"] as? String == "v1")
        let resources = try #require(doc["resources"] as? [[String: Any]])
        let pods = try #require(resources.first { $0["name"] as? String == "pods" })
        #expect(pods["shortNames"] as? [String] == ["po"])
        #expect(pods["categories"] as? [String] == ["all"])
        #expect(pods["namespaced"] as? Bool == true)
        #expect(pods["singularName"] as? String == "pod")
        #expect((pods["verbs"] as? [String])?.contains("watch") == true)
        let log = try #require(resources.first { $0["name"] as? String == "pods/log" })
        #expect(log["kind"] as? String == "Pod")
        #expect(log["verbs"] as? [String] == ["get"])
        #expect(Self.documents.resourceList(group: "", version: "v2") == nil)
    }

    @Test func scaleSubresourceNamesAutoscalingV1() throws {
        let doc = try Self.json(Self.documents.resourceList(group: "apps", version: "v1"))
        let resources = try #require(doc["resources"] as? [[String: Any]])
        let scale = try #require(resources.first { $0["name"] as? String == "deployments/scale" })
        #expect(scale["group"] as? String == "autoscaling")
        #expect(scale["version"] as? String == "v1")
        #expect(scale["kind"] as? String == "Scale")
        let deployments = try #require(resources.first { $0["name"] as? String == "deployments" })
        #expect(deployments["shortNames"] as? [String] == ["deploy"])
    }

    @Test func aggregatedDiscoveryShape() throws {
        let core = try Self.json(Self.documents.aggregatedCore)
        #expect(core["kind"] as? String == "APIGroupDiscoveryList")
        #expect(core["apiVersion"] as? String == "apidiscovery.k8s.io/v2")
        let items = try #require(core["items"] as? [[String: Any]])
        #expect(items.count == 1)
        let versions = try #require(items[0]["versions"] as? [[String: Any]])
        #expect(versions.first?["version"] as? String == "v1")
        #expect(versions.first?["freshness"] as? String == "Current")
        let resources = try #require(versions.first?["resources"] as? [[String: Any]])
        let pods = try #require(resources.first { $0["resource"] as? String == "pods" })
        #expect(pods["scope"] as? String == "Namespaced")
        #expect(pods["singularResource"] as? String == "pod")
        let kind = try #require(pods["responseKind"] as? [String: Any])
        #expect(kind["kind"] as? String == "Pod")
        #expect(kind["group"] as? String == "")
        let subresources = try #require(pods["subresources"] as? [[String: Any]])
        #expect(subresources.contains { $0["subresource"] as? String == "log" })

        let groups = try Self.json(Self.documents.aggregatedGroups)
        let named = try #require(groups["items"] as? [[String: Any]])
        let names = named.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
        #expect(names.contains("apps"))
        #expect(!names.contains(""))
        let namespaces = try #require(
            (versions.first?["resources"] as? [[String: Any]])?.first { $0["resource"] as? String == "namespaces" })
        #expect(namespaces["scope"] as? String == "Cluster")
    }

    @Test func negotiation() {
        let kubectlDiscovery = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
        #expect(ResponseFormat.negotiate(accept: kubectlDiscovery, allowDiscovery: true) == .aggregatedDiscovery)
        #expect(ResponseFormat.negotiate(accept: kubectlDiscovery, allowDiscovery: false) == .json)
        let table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
        #expect(ResponseFormat.negotiate(accept: table, allowTable: true) == .table)
        #expect(ResponseFormat.negotiate(accept: table, allowTable: false) == .json)
        #expect(ResponseFormat.negotiate(accept: "application/vnd.kubernetes.protobuf,application/json") == .json)
        #expect(ResponseFormat.negotiate(accept: "application/yaml") == .yaml)
        #expect(ResponseFormat.negotiate(accept: nil) == .json)
        #expect(ResponseFormat.negotiate(accept: "*/*") == .json)
        #expect(ResponseFormat.negotiate(accept: "text/html") == nil)
        #expect(ResponseFormat.negotiate(accept: "application/vnd.kubernetes.protobuf") == nil)
    }

    @Test func serverVersionReportsMinor() throws {
        let version = ServerVersion(major: "1", minor: "36", gitVersion: "v1.36.0+skiff")
        let doc = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(version)) as? [String: Any])
        #expect(doc["minor"] as? String == "36")
        #expect(doc["gitVersion"] as? String == "v1.36.0+skiff")
        #expect((doc["platform"] as? String)?.hasPrefix("linux/") == true)
    }
}
