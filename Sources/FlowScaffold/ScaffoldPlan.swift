package import FlowCore

/// One file of a generated package, and how it may be written over an existing one.
package struct GeneratedFile: Sendable, Equatable {
    /// How a file is written when the package already has one at its path.
    package enum Policy: Sendable, Equatable {
        /// Regenerated while the file is as flowlang last wrote it; a file you edited is left alone and the new
        /// version is written beside it (`--force` backs yours up and overwrites).
        case overwrite
        /// Written every time (`flow.yaml`, the task registry); a copy you edited is backed up first.
        case regenerate
        /// Written once and never again (the per-task tests).
        case createOnly
        /// A task's file: regenerated while it is a stub, never touched once implemented.
        case mergeTaskFile(task: String)
    }

    /// The path inside the package, with `/` separators.
    package var path: String
    package var contents: String
    package var policy: Policy
    /// Written with mode 755.
    package var isExecutable: Bool
    /// Why an existing package wants this version, shown in the merge summary when it is written or offered.
    package var reason: String?

    package init(path: String, contents: String, policy: Policy, isExecutable: Bool = false, reason: String? = nil) {
        self.path = path
        self.contents = contents
        self.policy = policy
        self.isExecutable = isExecutable
        self.reason = reason
    }
}

/// Everything a scaffold or update would write, computed without touching the disk.
package struct ScaffoldPlan: Sendable {
    package var layout: ProjectLayout
    /// The flow's tasks that need Swift code, sorted by name.
    package var tasks: [DiscoveredTask]
    /// Built-in tasks the flow uses.
    package var builtinTasks: [String]
    package var files: [GeneratedFile]
    package var generatorVersion: String

    /// The file at `path`, if the plan has one.
    package func file(at path: String) -> GeneratedFile? { files.first { $0.path == path } }
}

/// Generates FlowLang task packages from flows.
///
/// ```swift
/// let flow = try FlowLoader().load(contentsOf: "flow.yaml")
/// let plan = Scaffolder.plan(flow: flow, source: yamlText, options: ScaffoldOptions())
/// let report = try plan.apply(to: "OrderFulfillment", mode: .scaffold(force: false))
/// print(report.summary)
/// ```
package enum Scaffolder {
    /// The files of a package for `flow` (pure: reads nothing, writes nothing). `source` is the YAML text,
    /// copied as the package's flow.yaml.
    package static func plan(flow: FlowDefinition, source: String, options: ScaffoldOptions) -> ScaffoldPlan {
        let layout = ProjectLayout(flowName: flow.name)
        let analysis = FlowAnalysis.analyze(flow, source: source)
        var files: [GeneratedFile] = [
            GeneratedFile(path: "flow.yaml", contents: source, policy: .regenerate),
            GeneratedFile(
                path: "Package.swift",
                contents: PackageTemplate.render(
                    layout: layout, flowLang: options.flowLang, usesDatabases: analysis.usesDatabases),
                policy: .overwrite,
                reason: PackageTemplate.reason(layout: layout)
            ),
            GeneratedFile(
                path: "README.md",
                contents: ReadmeTemplate.render(
                    flow: flow, analysis: analysis, layout: layout, implemented: options.implementedTasks),
                policy: .overwrite
            ),
            GeneratedFile(path: ".gitignore", contents: SupportFilesTemplate.gitignore, policy: .overwrite),
            GeneratedFile(
                path: "tools/start_server.sh", contents: SupportFilesTemplate.startServer(layout: layout),
                policy: .overwrite, isExecutable: true),
            GeneratedFile(
                path: "tools/generate.sh",
                contents: SupportFilesTemplate.generate(layout: layout, flowLang: options.flowLang),
                policy: .overwrite,
                isExecutable: true
            ),
            GeneratedFile(
                path: layout.protocolFile, contents: RegistryTemplate.protocolFile(layout: layout), policy: .overwrite),
            GeneratedFile(
                path: layout.registryFile,
                contents: RegistryTemplate.registryFile(tasks: analysis.tasks, layout: layout), policy: .regenerate),
            GeneratedFile(
                path: layout.serverFile, contents: ServerTemplate.render(layout: layout), policy: .overwrite,
                reason: ServerTemplate.reason),
            GeneratedFile(
                path: layout.flowTestsFile,
                contents: TestTemplates.flowTests(analysis: analysis, flow: flow, layout: layout),
                policy: .overwrite
            ),
        ]
        files += deploymentFiles(layout: layout, analysis: analysis, flowLang: options.flowLang)
        if !analysis.environmentVariables.isEmpty {
            files.append(
                GeneratedFile(
                    path: ".env.example",
                    contents: SupportFilesTemplate.environmentExample(
                        variables: analysis.environmentVariables, defaults: analysis.environmentDefaults, layout: layout
                    ),
                    policy: .overwrite
                )
            )
        }
        for task in analysis.tasks {
            files.append(
                GeneratedFile(
                    path: layout.taskFile(task.typeName),
                    contents: TaskFileTemplate.render(task, layout: layout),
                    policy: .mergeTaskFile(task: task.name)
                )
            )
            files.append(
                GeneratedFile(
                    path: layout.taskTestFile(task.typeName), contents: TestTemplates.taskTest(task, layout: layout),
                    policy: .createOnly)
            )
        }
        return ScaffoldPlan(
            layout: layout,
            tasks: analysis.tasks,
            builtinTasks: analysis.builtinTasks,
            files: files,
            generatorVersion: options.generatorVersion
        )
    }

    /// The Dockerfile, docker-compose.yml, Kubernetes manifest and deployment guide.
    static func deploymentFiles(layout: ProjectLayout, analysis: FlowAnalysis, flowLang: FlowLangDependency)
        -> [GeneratedFile]
    {
        let variables = analysis.environmentVariables
        return [
            GeneratedFile(
                path: "Dockerfile", contents: DeploymentTemplate.dockerfile(layout: layout, flowLang: flowLang),
                policy: .overwrite),
            GeneratedFile(path: ".dockerignore", contents: DeploymentTemplate.dockerignore, policy: .overwrite),
            GeneratedFile(
                path: "docker-compose.yml", contents: DeploymentTemplate.compose(layout: layout, flowLang: flowLang),
                policy: .overwrite),
            GeneratedFile(
                path: "k8s/deployment.yaml",
                contents: DeploymentKubernetesTemplate.render(layout: layout, environmentVariables: variables),
                policy: .overwrite
            ),
            GeneratedFile(
                path: "DEPLOYMENT.md",
                contents: DeploymentGuideTemplate.render(
                    layout: layout, flowLang: flowLang, environmentVariables: variables),
                policy: .overwrite
            ),
        ]
    }

    /// The tasks a flow needs Swift code for, with inferred inputs and outputs.
    package static func discoverTasks(in flow: FlowDefinition) -> [DiscoveredTask] {
        FlowAnalysis.analyze(flow, source: "").tasks
    }
}
