import Foundation
import Testing

@testable import Tasks

/// DiffusionLab's scorers give the reference scorers' answers and scores on every output of the fixture
/// (Tests/TasksTests/Fixtures/scorer_agreement.json, written by Experiments/tasks/tools/make_scorer_fixtures.py
/// with lm-evaluation-harness and d1's parsers). Agreement must be exact: same extracted text, same score.
struct ScorerAgreementTests {
    struct Extraction: Decodable {
        var extracted: String?
        var score: Double
    }

    struct GSM8KItem: Decodable {
        var reference: String, output: String, strict: Extraction, flexible: Extraction
    }

    struct MathItem: Decodable {
        var reference: String, output: String, extracted: String?, score: Double
    }

    struct ChoiceItem: Decodable {
        var choices: [String], reference: String, output: String, generative: Extraction, regex: Extraction, strict: Extraction
    }

    struct CountdownItem: Decodable {
        var numbers: String, target: String, output: String, extracted: String?, score: Double
    }

    struct SudokuItem: Decodable {
        var puzzle: String, solution: String, output: String, extracted: String?, score: Double
    }

    struct Fixture: Decodable {
        var gsm8k: [GSM8KItem]
        var math: [MathItem]
        var multiple_choice: [ChoiceItem]
        var countdown: [CountdownItem]
        var sudoku: [SudokuItem]
    }

    static let fixture: Fixture? = {
        guard let url = Bundle.module.url(forResource: "scorer_agreement", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return try? JSONDecoder().decode(Fixture.self, from: data)
    }()

    func input(reference: String, fields: [String: JSONField] = [:]) -> ScoringInput {
        ScoringInput(reference: reference, record: Record(fields: fields, origin: "fixture"))
    }

    @Test("the fixture loads and has at least 100 outputs per task family")
    func fixtureSize() throws {
        let fixture = try #require(Self.fixture)
        #expect(fixture.gsm8k.count >= 100)
        #expect(fixture.math.count >= 100)
        #expect(fixture.multiple_choice.count >= 100)
        #expect(fixture.countdown.count >= 100)
        #expect(fixture.sudoku.count >= 100)
    }

    @Test("GSM8K strict-match and flexible-extract as lm-evaluation-harness")
    func gsm8k() throws {
        let fixture = try #require(Self.fixture)
        var correct = (0, 0)
        for item in fixture.gsm8k {
            let input = input(reference: item.reference)
            let strict = GSM8KStrictExtractor().extract(item.output, input)
            let flexible = GSM8KFlexibleExtractor().extract(item.output, input)
            #expect(strict == item.strict.extracted, "strict \(item.output.debugDescription)")
            #expect(flexible == item.flexible.extracted, "flexible \(item.output.debugDescription)")
            #expect(GSM8KExactMatch().score(strict, input) == item.strict.score, "strict \(item.output.debugDescription) vs \(item.reference.debugDescription)")
            #expect(GSM8KExactMatch().score(flexible, input) == item.flexible.score, "flexible \(item.output.debugDescription) vs \(item.reference.debugDescription)")
            correct.0 += Int(item.strict.score)
            correct.1 += Int(item.flexible.score)
        }
        // The fixture exercises both verdicts.
        #expect(correct.0 > 10 && correct.1 > correct.0)
    }

    @Test("MATH last boxed answer and is_equiv as hendrycks_math")
    func math() throws {
        let fixture = try #require(Self.fixture)
        for item in fixture.math {
            let input = input(reference: item.reference)
            let extracted = LastBoxedExtractor().extract(item.output, input)
            #expect(extracted == item.extracted, "\(item.output.debugDescription)")
            #expect(MathEquivalence().score(extracted, input) == item.score, "\(item.output.debugDescription) vs \(item.reference.debugDescription)")
        }
        #expect(fixture.math.contains { $0.score == 1 } && fixture.math.contains { $0.extracted == nil })
    }

    @Test("multiple choice: mmlu generative filter, flan strict-match and multi_choice_regex as the harness")
    func multipleChoice() throws {
        let fixture = try #require(Self.fixture)
        for item in fixture.multiple_choice {
            let input = input(reference: item.reference, fields: ["choices": .array(item.choices.map(JSONField.string))])
            let first = MMLUGenerativeExtractor().extract(item.output, input)
            let regex = MultipleChoiceRegexExtractor().extract(item.output, input)
            #expect(first == item.generative.extracted, "generative \(item.output.debugDescription)")
            #expect(regex == item.regex.extracted, "regex \(item.output.debugDescription) \(item.choices)")
            #expect(MultipleChoiceExactMatch().score(first, input) == item.generative.score, "\(item.output.debugDescription)")
            #expect(MultipleChoiceExactMatch().score(regex, input) == item.regex.score, "\(item.output.debugDescription)")
            let strict = MMLUFlanStrictExtractor().extract(item.output, input)
            #expect(strict == item.strict.extracted, "flan strict \(item.output.debugDescription)")
            #expect(MultipleChoiceExactMatch().score(strict, input) == item.strict.score, "\(item.output.debugDescription)")
        }
    }

    @Test("Countdown as d1's parse_countdown_answers")
    func countdown() throws {
        let fixture = try #require(Self.fixture)
        for item in fixture.countdown {
            let input = input(reference: item.target, fields: ["numbers": .string(item.numbers), "target": .string(item.target)])
            let extracted = D1CountdownExtractor().extract(item.output, input)
            #expect(extracted == item.extracted, "\(item.output.debugDescription)")
            #expect(CountdownExpressionScorer().score(extracted, input) == item.score, "\(item.output.debugDescription) \(item.numbers) -> \(item.target)")
        }
    }

    @Test("Sudoku as d1's parse_sudoku_answers (cell accuracy)")
    func sudoku() throws {
        let fixture = try #require(Self.fixture)
        for item in fixture.sudoku {
            let input = input(reference: item.solution, fields: ["puzzle": .string(item.puzzle)])
            let extracted = D1SudokuExtractor().extract(item.output, input)
            #expect((extracted ?? "") == (item.extracted ?? ""), "\(item.output.debugDescription)")
            #expect(SudokuCellAccuracy().score(extracted, input) == item.score, "\(item.output.debugDescription)")
        }
    }
}
