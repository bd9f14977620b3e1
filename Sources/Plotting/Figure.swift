import Foundation

/// A figure that gnuplot draws from one data file: the `.dat` text, and the plotting commands that read it.
public protocol Figure {
    /// The data file's text (tab-separated columns, blocks separated by two blank lines for `index`).
    var data: String { get }
    /// Commands that draw the figure on the current terminal, reading `dataFile`.
    func plotCommands(dataFile: String) -> String
    /// Canvas size in pixels (PNG); the SVG gets the same size.
    var size: (width: Int, height: Int) { get }
}

/// The four files of a written figure.
public struct FigureFiles: Sendable, Equatable {
    public let png: URL
    public let svg: URL
    public let script: URL
    public let data: URL
}

extension Figure {
    /// The whole `.gp` script: draws the figure to `name.png` and then `name.svg`, so plain `gnuplot name.gp`
    /// run in the figure's folder regenerates both.
    public func script(name: String) -> String {
        let body = plotCommands(dataFile: "\(name).dat")
        return """
            # \(name).gp: regenerate \(name).png and \(name).svg with `gnuplot \(name).gp` in this folder.
            # Data: \(name).dat. Written by `dlab plot` (DiffusionLab).
            set encoding utf8
            set datafile separator "\\t"
            set terminal pngcairo size \(size.width),\(size.height) font "DejaVu Sans,11" noenhanced
            set output "\(name).png"
            \(body)
            unset output
            reset
            set datafile separator "\\t"
            set terminal svg size \(size.width),\(size.height) font "DejaVu Sans,11" noenhanced background "white"
            set output "\(name).svg"
            \(body)
            unset output

            """
    }

    /// Writes `name.dat` and `name.gp` into `folder` and runs gnuplot there, which writes `name.png` and `name.svg`.
    /// The PNG and SVG of an earlier run are removed first, and both must exist and be non-empty afterwards: a
    /// gnuplot that reports an error but exits 0 never passes for a drawn figure.
    /// - Throws: `GnuplotError` when gnuplot fails (its message names the line) or wrote no figure, or a file-system error.
    @discardableResult
    public func write(to folder: URL, name: String, gnuplot: Gnuplot = Gnuplot()) throws -> FigureFiles {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = FigureFiles(
            png: folder.appendingPathComponent("\(name).png"), svg: folder.appendingPathComponent("\(name).svg"),
            script: folder.appendingPathComponent("\(name).gp"), data: folder.appendingPathComponent("\(name).dat"))
        let script = script(name: name)
        try data.write(to: files.data, atomically: true, encoding: .utf8)
        try script.write(to: files.script, atomically: true, encoding: .utf8)
        for image in [files.png, files.svg] where FileManager.default.fileExists(atPath: image.path) {
            try FileManager.default.removeItem(at: image)
        }
        let warnings = try gnuplot.run(script, in: folder, scriptName: files.script.path)
        for image in [files.png, files.svg] {
            let size = FileManager.default.fileExists(atPath: image.path)
                ? (try? URL(fileURLWithPath: image.path).resourceValues(forKeys: [.fileSizeKey]))?.fileSize ?? 0 : nil
            guard let size, size > 0 else {
                let said = warnings.isEmpty ? "" : "; gnuplot said:\n\(warnings)"
                throw GnuplotError(kind: .missingOutput, message: "figure '\(name)': \(image.path) was \(size == nil ? "not written" : "written empty")\(said)",
                                   script: files.script.path)
            }
        }
        return files
    }
}

/// `text` as a double-quoted gnuplot string.
func gnuplotString(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

/// A number as gnuplot and the `.dat` file read it (no locale, no exponent surprises for small values).
func number(_ value: Double) -> String {
    value.isFinite ? String(format: "%.6g", value) : "NaN"
}
