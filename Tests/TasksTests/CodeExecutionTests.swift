import Foundation
import Testing

@testable import Tasks

/// Code tasks: the completion runs against the tests in a sandbox, only when allowed.
@Suite(.serialized) struct CodeExecutionTests {
    func leftoverFolders() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? []
        return names.filter { $0.hasPrefix("dlab-code-") }.count
    }

    @Test("without allow_code_execution a code task refuses to score")
    func refusedUnlessAllowed() throws {
        let task = try FileTaskSupport.task("humaneval")
        let example = task.example(split: .eval, index: 0, seed: 0)
        #expect(throws: CodeExecutionError.notAllowed) { try task.scores(of: example, output: "    return a + b\n") }
        #expect(task.score(prompt: example.prompt, output: "    return a + b\n") == 0)
        #expect("\(CodeExecutionError.notAllowed)".contains("allow_code_execution: true"))
    }

    @Test("HumanEval and MBPP: right code passes, wrong code fails, stop strings cut the completion")
    func passAndFail() throws {
        guard CodeSandbox.namespacesAvailable else {
            // No user/network namespaces on this machine: the sandbox refuses instead of running code.
            #expect(throws: CodeExecutionError.noSandbox) { try CodeSandbox().passes("pass", allowed: true) }
            return
        }
        let before = leftoverFolders()
        let humaneval = try FileTaskSupport.task("humaneval", allowCodeExecution: true)
        let add = humaneval.example(split: .eval, index: 0, seed: 0)
        #expect(try humaneval.scores(of: add, output: "    return a + b\n").primary == 1)
        #expect(try humaneval.scores(of: add, output: "    return a - b\n").primary == 0)
        #expect(try humaneval.scores(of: add, output: "    return a +\n").primary == 0)
        // "\ndef" is a stop string: a helper after the body is cut off, the body alone passes.
        #expect(try humaneval.scores(of: add, output: "    return a + b\ndef helper(:\n").primary == 1)
        let mbpp = try FileTaskSupport.task("mbpp", allowCodeExecution: true)
        let square = mbpp.example(split: .eval, index: 1, seed: 0)
        #expect(square.prompt.contains("[BEGIN]\n") && square.prompt.hasSuffix("assert square(0) == 0\n[BEGIN]\n"))
        #expect(try mbpp.scores(of: square, output: "def square(x):\n    return x ** 2\n[DONE] trailing").primary == 1)
        #expect(try mbpp.scores(of: square, output: "def square(x):\n    return x * 2\n").primary == 0)
        #expect(leftoverFolders() == before)
    }

    @Test("hanging code, fork bombs, memory hogs and network access fail inside the limits")
    func containment() throws {
        guard CodeSandbox.namespacesAvailable else { return }
        var sandbox = CodeSandbox()
        sandbox.wallSeconds = 2
        let start = Date()
        #expect(try sandbox.passes("while True:\n    pass\n", allowed: true) == false)
        #expect(try sandbox.passes("import os\nwhile True:\n    os.fork()\n", allowed: true) == false)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(try sandbox.passes("x = bytearray(8 << 30)\n", allowed: true) == false)
        let network = "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=1)\n"
        #expect(try sandbox.passes(network, allowed: true) == false)
        #expect(try sandbox.passes("import sys\nsys.exit(0)\n", allowed: true) == true)
        #expect(throws: CodeExecutionError.notAllowed) { try sandbox.passes("pass", allowed: false) }
    }
}
