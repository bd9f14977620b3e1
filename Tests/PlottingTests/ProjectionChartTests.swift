import Foundation
import Testing
@testable import Plotting

@Suite struct ProjectionChartTests {
    static let chart = ProjectionChart(
        title: "model on hardware",
        series: [
            .init(name: "AR", points: [(1, 100, 100), (2, 90, 180), (256, 20, 5120)]),
            .init(name: "diffusion", points: [(1, 400, 400), (2, 390, 780), (256, 2, 512)]),
        ],
        markers: [.init(users: 3, label: "crossover: 3 users"), .init(users: 200, label: "memory full: 200 users")])

    @Test func dataHasOneBlockPerSeries() {
        let blocks = Self.chart.data.components(separatedBy: "\n\n\n")
        #expect(blocks.count == 2)
        #expect(blocks[1].contains("256\t2\t512"))
    }

    @Test func markerLabelsStayInsideThePanels() {
        let commands = Self.chart.plotCommands(dataFile: "p.dat")
        // A marker left of the middle of the log axis is labelled to its right, one near the end to its left.
        #expect(commands.contains("\"crossover: 3 users\" at 3, graph 0.96 left"))
        #expect(commands.contains("\"memory full: 200 users\" at 200, graph 0.9 right"))
        #expect(commands.contains("using 1:2") && commands.contains("using 1:3"))
    }

    @Test func writesAFigure() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-projection-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try Self.chart.write(to: folder, name: "projection")
        #expect(try Data(contentsOf: files.png).starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}
