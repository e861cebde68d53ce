import Foundation
import Yams

/// Structural checks of deployment files, without Docker or a cluster: what each file must contain for the
/// image, the compose stack and the Kubernetes objects to be usable. Each check returns its problems.
enum DeploymentFileChecks {
    static func dockerfile(_ text: String) -> [String] {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty && !$0.hasPrefix("#")
        }
        let instructions = lines.map { $0.split(separator: " ", maxSplits: 1).first.map { $0.uppercased() } ?? "" }
        var problems: [String] = []
        let froms = lines.filter { $0.uppercased().hasPrefix("FROM ") }
        if froms.count < 2 || !(froms.first?.uppercased().contains(" AS ") ?? false) {
            problems.append("not a multi-stage build")
        }
        if !text.contains("--static-swift-stdlib") { problems.append("no --static-swift-stdlib") }
        let user = lines.last { $0.uppercased().hasPrefix("USER ") }?.dropFirst(5).split(separator: ":").first.map(
            String.init)
        if user.flatMap({ Int($0) }).map({ $0 <= 0 }) ?? true {
            problems.append("the last USER is not a numeric non-root user")
        }
        for required in ["HEALTHCHECK", "EXPOSE", "ENTRYPOINT"] where !instructions.contains(required) {
            problems.append("no \(required)")
        }
        if !lines.contains(where: { $0.hasPrefix("COPY") && $0.contains("flow.yaml") }) {
            problems.append("flow.yaml is not copied")
        }
        return problems
    }

    static func compose(_ text: String) throws -> [String] {
        guard let document = try Yams.load(yaml: text) as? [String: Any],
            let services = document["services"] as? [String: Any]
        else { return ["no services"] }
        var problems: [String] = []
        let server = services["server"] as? [String: Any] ?? [:]
        let db = services["db"] as? [String: Any] ?? [:]
        if server["build"] == nil { problems.append("server has no build") }
        if server["healthcheck"] == nil { problems.append("server has no healthcheck") }
        if (server["depends_on"] as? [String: Any])?["db"] == nil { problems.append("server does not wait for db") }
        if !((db["image"] as? String)?.hasPrefix("postgres:16") ?? false) { problems.append("db is not postgres:16") }
        if db["healthcheck"] == nil { problems.append("db has no healthcheck") }
        let volumes = db["volumes"] as? [String] ?? []
        if !volumes.contains(where: { $0.hasSuffix(":/var/lib/postgresql/data") }) {
            problems.append("db has no data volume")
        }
        return problems
    }

    static func kubernetes(_ text: String) throws -> [String] {
        let objects = try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }
        let kinds = objects.compactMap { $0["kind"] as? String }
        var problems: [String] = []
        if kinds.sorted() != ["Deployment", "Service"] {
            problems.append("expected a Deployment and a Service, found \(kinds)")
        }
        for object in objects where object["kind"] as? String == "Deployment" {
            let pod = value(object, "spec", "template", "spec") as? [String: Any] ?? [:]
            if value(pod, "securityContext", "runAsNonRoot") as? Bool != true {
                problems.append("runAsNonRoot is not true")
            }
            if value(pod, "securityContext", "runAsUser") as? Int != 10001 {
                problems.append("runAsUser is not the image's user 10001")
            }
            for container in pod["containers"] as? [[String: Any]] ?? [] {
                if value(container, "livenessProbe", "httpGet", "path") as? String != "/health" {
                    problems.append("liveness is not /health")
                }
                if value(container, "readinessProbe", "httpGet", "path") as? String != "/ready" {
                    problems.append("readiness is not /ready")
                }
                if value(container, "resources", "requests") == nil || value(container, "resources", "limits") == nil {
                    problems.append("no resource requests and limits")
                }
                let env = container["env"] as? [[String: Any]] ?? []
                if !env.contains(where: { value($0, "valueFrom", "secretKeyRef") != nil }) {
                    problems.append("no secretKeyRef")
                }
            }
        }
        let service = objects.first { $0["kind"] as? String == "Service" }
        let deployment = objects.first { $0["kind"] as? String == "Deployment" }
        let selector = service.flatMap { value($0, "spec", "selector") as? [String: String] }
        let labels = deployment.flatMap { value($0, "spec", "template", "metadata", "labels") as? [String: String] }
        if selector == nil || selector != labels {
            problems.append("the Service does not select the Deployment's pods")
        }
        return problems
    }

    private static func value(_ object: [String: Any], _ path: String...) -> Any? {
        var current: Any? = object
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }
}
