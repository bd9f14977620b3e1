import ArgumentParser
import Foundation
import Plotting
import Projection

/// `dlab project`: roofline projection of decoding methods (AR, AR+MTP, diffusion) onto a released model shape on
/// named hardware, as tokens/s per user and in total against concurrent users, with the crossover marked.
struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Project tokens/s per user and in total against concurrent users (roofline model).",
        discussion: """
            NAME arguments resolve to Experiments/projection/{models,hardware,methods}/NAME.yaml under the current \
            folder; a path to a .yaml file works too. Without --methods the published statistics in \
            Experiments/projection/methods/published.yaml are used, all on --model.
            """)

    @Option(help: "Model shape: a name under Experiments/projection/models or a YAML file.")
    var model: String

    @Option(help: "Hardware profile: a name under Experiments/projection/hardware or a YAML file.")
    var hardware: String

    @Option(help: "Weight precision (repeatable): fp32, bf16, fp16, fp8, q8_0, q4_k_m, nvfp4.")
    var precision: [String] = ["bf16"]

    @Option(help: "Methods file (YAML): a name under Experiments/projection/methods or a path.")
    var methods: String = "published"

    @Option(help: "Positions already in each user's KV cache (prompt plus generated text).")
    var context: Int = 1024

    @Option(help: "Largest number of concurrent users.")
    var maxUsers: Int = 256

    @Option(help: "Also print the cost of one denoising pass over a canvas of this many positions at one user.")
    var stepTokens: Int?

    @Option(help: "Per-pass overhead in ms, replacing the hardware profile's (drafter passes pay their share by layers).")
    var passOverheadMs: Double?

    @Option(help: "Host sampling in ns per vocabulary entry of each sampled position, replacing the profile's (0: sampling on the device).")
    var hostSamplingNsPerLogit: Double?

    @Option(help: "Folder for the figures (.gp, .dat, .png, .svg).")
    var output: String = "plots/projection"

    @Flag(help: "Print the table only; write no figure.")
    var noPlot = false

    func run() throws {
        guard context >= 0 else { throw ValidationError("--context must be ≥ 0, got \(context)") }
        guard (1 ... 65536).contains(maxUsers) else { throw ValidationError("--max-users must lie in 1...65536, got \(maxUsers)") }
        do {
            let shape = try ProjectionFiles.model(try Self.resolve(model, kind: "models"))
            var profile = try ProjectionFiles.hardware(try Self.resolve(hardware, kind: "hardware"))
            if let passOverheadMs {
                guard passOverheadMs >= 0, passOverheadMs.isFinite else { throw ValidationError("--pass-overhead-ms must be ≥ 0") }
                profile.passOverhead = passOverheadMs / 1e3
            }
            if let hostSamplingNsPerLogit {
                guard hostSamplingNsPerLogit >= 0, hostSamplingNsPerLogit.isFinite else {
                    throw ValidationError("--host-sampling-ns-per-logit must be ≥ 0")
                }
                profile.hostSamplingPerLogit = hostSamplingNsPerLogit * 1e-9
            }
            let specs = try ProjectionFiles.methods(
                try Self.resolve(methods, kind: "methods"), defaultModel: shape,
                resolveModel: { try ProjectionFiles.model(try Self.resolve($0, kind: "models")) },
                resolveMeasured: MeasuredStatistics.read)
            let precisions = try precision.map(Precision.named)
            for precision in precisions {
                try project(shape: shape, profile: profile, specs: specs, precision: precision)
            }
        } catch let error as ProjectionError {
            throw ValidationError(error.description)
        }
    }

    /// A name under Experiments/projection/`kind`/, or a file path.
    static func resolve(_ argument: String, kind: String) throws -> URL {
        let manager = FileManager.default
        if argument.hasSuffix(".yaml") || argument.contains("/") {
            guard manager.fileExists(atPath: argument) else { throw ProjectionError("\(argument): no such file") }
            return URL(fileURLWithPath: argument)
        }
        let folder = "Experiments/projection/\(kind)"
        let path = "\(folder)/\(argument).yaml"
        guard manager.fileExists(atPath: path) else {
            let known = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }
                .map { String($0.dropLast(5)) }.sorted()
            throw ProjectionError("no \(kind == "models" ? "model" : kind) file '\(argument)' (looked for \(path) under the current folder); known: "
                + (known.isEmpty ? "none here" : known.joined(separator: ", ")))
        }
        return URL(fileURLWithPath: path)
    }

    private func project(shape: ModelShape, profile: HardwareProfile, specs: [MethodSpec], precision: Precision) throws {
        let projector = Projector(hardware: profile, precision: precision, context: context)
        let curves = try specs.map { try projector.curve($0, users: 1 ... maxUsers) }
        let computeType = try profile.peak(for: precision).type.rawValue
        print("# \(shape.name) on \(profile.name), \(precision.name) weights (\(computeType) peak), context \(context), "
            + String(format: "per-pass overhead %.2f ms", profile.passOverhead * 1e3)
            + (profile.hostSamplingPerLogit > 0 ? String(format: ", host sampling %.2f ns per logit", profile.hostSamplingPerLogit * 1e9) : ""))
        for spec in specs {
            let method = spec.method
            let detail: String
            switch method {
            case .autoregressive: detail = "1 token per pass"
            case .multiTokenPrediction(let drafts, _, let drafter, let layers):
                detail = String(format: "%d drafts, %.2f tokens per verify pass, drafter %.0fM in %d layer(s)", drafts,
                                method.tokensPerForward, drafter / 1e6, layers)
            case .diffusion(let canvas, let tokens, let commit):
                detail = String(format: "canvas %d, %.2f tokens per pass (%.1f passes per canvas)%@", canvas, tokens,
                                Double(canvas) / tokens, commit ? " + 1 commit pass" : "")
            }
            print("#   \(spec.name) on \(spec.model.name): \(detail)")
        }
        for curve in curves {
            let fits = curve.maxUsersInMemory == 0 ? "weights do NOT fit" : "fits up to \(curve.maxUsersInMemory) users"
            print(String(format: "#   memory, %@: weights %.1f GB of %.0f GB; %@", curve.name, curve.weightBytes / 1e9,
                         profile.memoryBytes / 1e9, fits))
        }
        if let stepTokens { try printStep(shape: shape, profile: profile, precision: precision, canvas: stepTokens) }
        printTable(curves)
        var markers = crossoverMarkers(curves)
        let compared = specs.contains { if case .multiTokenPrediction = $0.method { return true } else { return false } }
            && specs.contains { if case .diffusion = $0.method { return true } else { return false } }
        if compared, markers.isEmpty { print("# crossover: AR+MTP does not overtake diffusion within 1...\(maxUsers) users") }
        let fitting = curves.map(\.maxUsersInMemory)
        if let limit = fitting.filter({ $0 > 0 && $0 < maxUsers }).min() {
            markers.append(.init(users: Double(limit), label: "memory full: \(limit) users"))
        }
        let noFit = fitting.contains(0) ? " - WEIGHTS DO NOT FIT IN MEMORY" : ""
        guard !noPlot else { return }
        let chart = ProjectionChart(
            title: "\(shape.name) on \(profile.name), \(precision.name), context \(context)"
                + (profile.passOverhead > 0 ? String(format: ", %g ms per pass", profile.passOverhead * 1e3) : "")
                + " (roofline projection)" + noFit,
            series: curves.map { curve in
                .init(name: curve.name, points: curve.points.map {
                    (Double($0.users), $0.perUser, $0.total)
                })
            },
            markers: markers)
        var name = [Self.slug(shape.name), Self.slug(profile.name), precision.name].joined(separator: "-")
        if profile.passOverhead > 0 { name += String(format: "-overhead-%gms", profile.passOverhead * 1e3) }
        if profile.hostSamplingPerLogit > 0 { name += String(format: "-host-sampling-%gns", profile.hostSamplingPerLogit * 1e9) }
        let files = try chart.write(to: URL(fileURLWithPath: output), name: name)
        print("# figure: \(files.png.path)")
    }

    private func printStep(shape: ModelShape, profile: HardwareProfile, precision: Precision, canvas: Int) throws {
        let roofline = try Roofline(model: shape, hardware: profile, precision: precision)
        let cost = roofline.cost(PassWorkload(sequences: 1, tokens: canvas, context: context, selfConditioning: shape.selfConditioning))
        print(String(format: "# one pass over %d positions, 1 user: %.3f ms (%.3g GFLOP → %.3f ms, %.3g GB → %.3f ms, overhead %.3f ms, host sampling %.3f ms; %@-bound)",
                     canvas, cost.seconds * 1e3, cost.flops / 1e9, cost.computeSeconds * 1e3, cost.bytes / 1e9,
                     cost.memorySeconds * 1e3, cost.overheadSeconds * 1e3, cost.samplingSeconds * 1e3, cost.bound.rawValue))
    }

    /// Users 1, 2, 4, … plus the largest: the rows of the table.
    private func tableUsers() -> [Int] {
        var users = Array(sequence(first: 1) { $0 * 2 }.prefix { $0 <= maxUsers })
        if users.last != maxUsers { users.append(maxUsers) }
        return users
    }

    private func printTable(_ curves: [ProjectionCurve]) {
        let width = max(20, curves.map(\.name.count).max() ?? 0)
        print("users".padding(toLength: 6, withPad: " ", startingAt: 0) + curves.map {
            " | " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0)
        }.joined())
        print("".padding(toLength: 6, withPad: " ", startingAt: 0) + curves.map { _ in
            " | " + "tok/s/user   total    bound".padding(toLength: width, withPad: " ", startingAt: 0)
        }.joined())
        for users in tableUsers() {
            var row = String(users).padding(toLength: 6, withPad: " ", startingAt: 0)
            for curve in curves {
                guard let point = curve.points.first(where: { $0.users == users }) else { continue }
                let cell = String(format: "%10.1f %8.0f %@%@", point.perUser, point.total, point.bound == .compute ? "compute" : "memory ",
                                  point.fitsMemory ? "" : " (OOM)")
                row += " | " + cell.padding(toLength: width, withPad: " ", startingAt: 0)
            }
            print(row)
        }
    }

    /// For each AR+MTP curve against each diffusion curve: where it overtakes in tokens/s per user.
    private func crossoverMarkers(_ curves: [ProjectionCurve]) -> [ProjectionChart.Marker] {
        var markers: [ProjectionChart.Marker] = []
        for mtp in curves { guard case .multiTokenPrediction = mtp.method else { continue }
            for diffusion in curves { guard case .diffusion = diffusion.method else { continue }
                for users in Crossover.overtakes(leader: diffusion.points, challenger: mtp.points) {
                    let place = users == 1 ? "from 1 user on" : "at \(users) users"
                    print("# crossover: \(mtp.name) is at least as fast per user as \(diffusion.name) \(place)")
                    markers.append(.init(users: Double(users), label: users == 1 ? "AR+MTP ahead from 1 user" : "AR+MTP overtakes: \(users) users"))
                }
                // And back: where diffusion gets ahead again after AR+MTP led.
                for users in Crossover.overtakes(leader: mtp.points, challenger: diffusion.points) where users > 1 {
                    print("# crossover: \(diffusion.name) is at least as fast per user as \(mtp.name) at \(users) users")
                    markers.append(.init(users: Double(users), label: "diffusion overtakes: \(users) users"))
                }
            }
        }
        return markers
    }

    static func slug(_ text: String) -> String {
        let mapped = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(mapped).split(separator: "-").joined(separator: "-")
    }
}
