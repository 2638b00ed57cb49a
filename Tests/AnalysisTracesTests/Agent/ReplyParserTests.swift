import Testing
@testable import AnalysisTraces

@Suite struct ReplyParserTests {
    @Test func splitsReasoningFromTheOnePythonBlock() {
        let reply = "  I will count the rows.\n\n```python\nprint(len(df))\n```\n"
        #expect(ReplyParser.parse(reply) == .step(reasoning: "I will count the rows.", code: "print(len(df))"))
    }

    @Test(arguments: ["```py\nx = 1\n```", "```Python\nx = 1\n```", "```python3\nx = 1\n```", "```python \nx = 1\n```", "````python\nx = 1\n````", "```python\r\nx = 1\r\n```"])
    func acceptsTheUsualPythonLabels(reply: String) {
        #expect(ReplyParser.parse(reply) == .step(reasoning: "", code: "x = 1"))
    }

    @Test func keepsBackticksInsideTheCode() {
        let reply = "Print a fence.\n```python\nprint(\"```\")\nprint('done')\n```"
        #expect(ReplyParser.parse(reply) == .step(reasoning: "Print a fence.", code: "print(\"```\")\nprint('done')"))
    }

    @Test func removesCommonIndentationAndOuterBlankLines() {
        let reply = "Indented.\n```python\n\n    for i in range(2):\n        print(i)\n\n```"
        #expect(ReplyParser.parse(reply) == .step(reasoning: "Indented.", code: "for i in range(2):\n    print(i)"))
    }

    @Test(arguments: [
        ("Just words, no code.", ReplyParser.Problem.noCodeBlock),
        ("", .noCodeBlock),
        ("Inline ```python x = 1``` is not a block.", .noCodeBlock),
        ("```python\na = 1\n```\n```python\nb = 2\n```", .severalCodeBlocks(count: 2)),
        ("```python\na = 1\n```\nOutput:\n```\n1\n```", .severalCodeBlocks(count: 2)),
        ("```python\n   \n\n```", .emptyCode),
        ("```python\nx = 1\n", .unterminatedBlock),
        ("```json\n{\"a\": 1}\n```", .notPython(label: "json")),
        ("```\nx = 1\n```", .notPython(label: "")),
    ])
    func reportsWhyAReplyCannotRun(reply: String, problem: ReplyParser.Problem) {
        #expect(ReplyParser.parse(reply) == .malformed(problem))
    }

    @Test func correctiveMessagesRestateTheFormat() {
        for problem in [ReplyParser.Problem.noCodeBlock, .severalCodeBlocks(count: 3), .emptyCode, .unterminatedBlock, .notPython(label: "sql")] {
            let text = AgentMessages.corrective(problem)
            #expect(text.contains("nothing was run"))
            #expect(text.hasSuffix("then exactly one ```python block, then stop."))
        }
    }
}

@Suite struct ExecutedCodeTests {
    @Test func groundsALineAfterWhitespaceNormalisation() {
        var code = ExecutedCode()
        code.add("for g in groups:\n    m  =\tdf[g].mean()  \n")
        #expect(code.grounds("m = df[g].mean()"))
        #expect(code.grounds("   m =  df[g].mean()"))
        #expect(!code.grounds("m = df[g].mean( )"))
        #expect(!code.grounds("m=df[g].mean()"), "spaces are collapsed, not removed")
        #expect(!code.grounds(""))
        #expect(!code.grounds("   \n  "))
    }

    @Test func groundsAMultiLineCodeLineInConsecutiveLinesOfOneCell() {
        var code = ExecutedCode()
        code.add("a = (df['x']\n     .sum())\nb = 2")
        code.add("c = 3")
        #expect(code.grounds("a = (df['x']\n.sum())"))
        #expect(code.grounds("a = (df['x']\n\n   .sum())"), "blank lines in the code line are ignored")
        #expect(!code.grounds("a = (df['x']\nb = 2"), "the lines must be consecutive")
        #expect(!code.grounds("b = 2\nc = 3"), "a code line does not span cells")
        #expect(code.grounds("c = 3"))
    }

    @Test func commentsGroundNothing() {
        var code = ExecutedCode()
        code.add("# total = df.sum()\nx = 1")
        #expect(!code.grounds("# total = df.sum()"))
        #expect(code.grounds("x = 1"))
    }
}
