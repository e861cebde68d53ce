import FlowCore
import Foundation
import Hummingbird
import OrderedCollections

/// `/projects` and its sub-routes, present in multi-flow servers only.
struct ProjectsController {
    let server: ServerContext

    /// The projects, one project and its flows.
    var routes: RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        routes.get("/projects") { _, _ in
            let projects = server.catalog.projects.map { project -> FlowValue in
                [
                    "name": .string(project.name), "description": project.description.map(FlowValue.string) ?? .null,
                    "version": project.version.map(FlowValue.string) ?? .null,
                    "flows": .array(
                        flows(of: project).map { flow in
                            let readiness = flow.readiness
                            return [
                                "name": .string(flow.name),
                                "description": flow.definition.description.map(FlowValue.string) ?? .null,
                                "ready": .bool(readiness.isReady), "progress": .string(readiness.progress),
                            ]
                        }),
                ]
            }
            return Response.json(["projects": .array(projects), "count": .int(projects.count)])
        }
        routes.get("/projects/:project") { _, context in
            let project = try project(context)
            let flows = flows(of: project).map { flow -> FlowValue in
                let readiness = flow.readiness
                return [
                    "name": .string(flow.name),
                    "description": flow.definition.description.map(FlowValue.string) ?? .null,
                    "ready": .bool(readiness.isReady), "progress": .string(readiness.progress),
                    "percentage": .string(readiness.percentageText), "tasks_total": .int(readiness.total),
                    "tasks_implemented": .int(readiness.implemented.count),
                ]
            }
            return Response.json([
                "name": .string(project.name), "flows": .array(flows), "flows_count": .int(flows.count),
                "description": project.description.map(FlowValue.string) ?? .null,
                "version": project.version.map(FlowValue.string) ?? .null,
                "tags": .array(project.tags.map(FlowValue.string)), "contact": project.contact ?? .null,
            ])
        }
        routes.get("/projects/:project/flows") { _, context in
            Response.json(.array(flows(of: try project(context)).map(FlowsController.info)))
        }
        return routes
    }

    private func project(_ context: some RequestContext) throws -> ProjectDefinition {
        let name = try context.parameters.require("project")
        let decoded = name.removingPercentEncoding ?? name
        guard let project = server.catalog.projects.first(where: { $0.name == decoded }) else {
            throw APIError.envelope(.notFound, "Project not found: \(decoded)")
        }
        return project
    }

    private func flows(of project: ProjectDefinition) -> [ServedFlow] {
        server.catalog.flows.filter { $0.project == project.name }
    }
}
