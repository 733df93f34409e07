#include "graphql/lexer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "graphql/syntax_error.hpp"

namespace choreo::graphql {
namespace {

Token first_token(std::string_view source) {
  Lexer lexer(source);
  return lexer.next();
}

std::vector<Token> all_tokens(std::string_view source) {
  Lexer lexer(source);
  std::vector<Token> tokens;
  for (Token token = lexer.next(); token.kind != TokenKind::kEndOfFile; token = lexer.next()) {
    tokens.push_back(token);
  }
  return tokens;
}

// Lexes the whole source, expecting it to fail with `message` at line:column.
void expect_lex_error(std::string_view source, const std::string& message, std::uint32_t line,
                      std::uint32_t column) {
  SCOPED_TRACE(std::string(source));
  try {
    all_tokens(source);
    ADD_FAILURE() << "no error";
  } catch (const ParseError& error) {
    EXPECT_EQ(std::string(error.what()), "Syntax Error: " + message);
    EXPECT_EQ(error.location().line, line);
    EXPECT_EQ(error.location().column, column);
  }
}

TEST(Lexer, ReadsEveryPunctuator) {
  const std::vector<Token> tokens = all_tokens("! $ & ( ) ... : = @ [ ] { | }");
  const std::vector<TokenKind> expected = {
      TokenKind::kBang,        TokenKind::kDollar,       TokenKind::kAmpersand,
      TokenKind::kParenLeft,   TokenKind::kParenRight,   TokenKind::kSpread,
      TokenKind::kColon,       TokenKind::kEquals,       TokenKind::kAt,
      TokenKind::kBracketLeft, TokenKind::kBracketRight, TokenKind::kBraceLeft,
      TokenKind::kPipe,        TokenKind::kBraceRight};
  ASSERT_EQ(tokens.size(), expected.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    EXPECT_EQ(tokens[i].kind, expected[i]) << i;
    EXPECT_TRUE(tokens[i].value.empty());
  }
}

TEST(Lexer, SkipsIgnoredTokens) {
  const std::string source = "\xEF\xBB\xBF \t,,\n# a comment, with \x01 control\r\n\r  ,name";
  const Token token = first_token(source);
  EXPECT_EQ(token.kind, TokenKind::kName);
  EXPECT_EQ(token.value, "name");
  EXPECT_EQ(token.location, (SourceLocation{4, 4}));
}

TEST(Lexer, ReturnsEndOfFileRepeatedly) {
  Lexer lexer("  # only a comment");
  const Token end = lexer.next();
  EXPECT_EQ(end.kind, TokenKind::kEndOfFile);
  EXPECT_EQ(end.location, (SourceLocation{1, 19}));
  EXPECT_EQ(lexer.next().kind, TokenKind::kEndOfFile);
}

TEST(Lexer, ReadsNames) {
  const std::vector<Token> tokens = all_tokens("_ a_B9 __typename Z");
  ASSERT_EQ(tokens.size(), 4U);
  EXPECT_EQ(tokens[0].value, "_");
  EXPECT_EQ(tokens[1].value, "a_B9");
  EXPECT_EQ(tokens[2].value, "__typename");
  EXPECT_EQ(tokens[3].value, "Z");
}

TEST(Lexer, CountsLinesForEveryLineTerminatorAndColumnsInUtf16CodeUnits) {
  const std::vector<Token> tokens = all_tokens("a\nb\r\nc\rd\n\n\"\xC3\xA9\xF0\x9F\x98\x80\" e");
  ASSERT_EQ(tokens.size(), 6U);
  EXPECT_EQ(tokens[0].location, (SourceLocation{1, 1}));
  EXPECT_EQ(tokens[1].location, (SourceLocation{2, 1}));
  EXPECT_EQ(tokens[2].location, (SourceLocation{3, 1}));
  EXPECT_EQ(tokens[3].location, (SourceLocation{4, 1}));
  EXPECT_EQ(tokens[4].location, (SourceLocation{6, 1}));
  // The string holds two code points (six bytes), the second beyond U+FFFF and so two UTF-16
  // code units: the name after it is at column 7, where graphql-js puts it.
  EXPECT_EQ(tokens[5].location, (SourceLocation{6, 7}));
}

TEST(Lexer, ReadsValidNumbers) {
  struct Case {
    const char* source;
    TokenKind kind;
  };
  const Case cases[] = {
      {"0", TokenKind::kInt},           {"-0", TokenKind::kInt},
      {"4", TokenKind::kInt},           {"-4", TokenKind::kInt},
      {"1234567890", TokenKind::kInt},  {"99999999999999999999", TokenKind::kInt},
      {"4.123", TokenKind::kFloat},     {"-4.123", TokenKind::kFloat},
      {"0.123", TokenKind::kFloat},     {"-0.0", TokenKind::kFloat},
      {"123e4", TokenKind::kFloat},     {"123E4", TokenKind::kFloat},
      {"123e-4", TokenKind::kFloat},    {"123e+4", TokenKind::kFloat},
      {"-1.123e4", TokenKind::kFloat},  {"-1.123E-4", TokenKind::kFloat},
      {"-1.123e+4", TokenKind::kFloat}, {"1.5e4567", TokenKind::kFloat},
      {"0e0", TokenKind::kFloat},
  };
  for (const Case& c : cases) {
    const Token token = first_token(c.source);
    EXPECT_EQ(token.kind, c.kind) << c.source;
    EXPECT_EQ(token.value, c.source);  // the raw text, for coercion to judge later
  }
}

TEST(Lexer, NumbersEndAtPunctuatorsAndWhiteSpace) {
  const std::vector<Token> tokens = all_tokens("[1,-2 3.5]4)");
  ASSERT_EQ(tokens.size(), 7U);
  EXPECT_EQ(tokens[1].value, "1");
  EXPECT_EQ(tokens[2].value, "-2");
  EXPECT_EQ(tokens[3].value, "3.5");
  EXPECT_EQ(tokens[5].value, "4");
}

TEST(Lexer, RejectsInvalidNumbers) {
  expect_lex_error("00", "Invalid number, unexpected digit after 0: \"0\".", 1, 2);
  expect_lex_error("-01", "Invalid number, unexpected digit after 0: \"1\".", 1, 3);
  expect_lex_error("+1", "Unexpected character: \"+\".", 1, 1);
  expect_lex_error("1.", "Invalid number, expected digit but got: <EOF>.", 1, 3);
  expect_lex_error("1.e1", "Invalid number, expected digit but got: \"e\".", 1, 3);
  expect_lex_error(".123", "Unexpected character: \".\".", 1, 1);
  expect_lex_error("1.A", "Invalid number, expected digit but got: \"A\".", 1, 3);
  expect_lex_error("-A", "Invalid number, expected digit but got: \"A\".", 1, 2);
  expect_lex_error("1.0e", "Invalid number, expected digit but got: <EOF>.", 1, 5);
  expect_lex_error("1.0eA", "Invalid number, expected digit but got: \"A\".", 1, 5);
  expect_lex_error("1.0e-", "Invalid number, expected digit but got: <EOF>.", 1, 6);
  expect_lex_error("1.2e3e", "Invalid number, expected digit but got: \"e\".", 1, 6);
  expect_lex_error("1.2e3.4", "Invalid number, expected digit but got: \".\".", 1, 6);
  expect_lex_error("1.23.4", "Invalid number, expected digit but got: \".\".", 1, 5);
  expect_lex_error("0x1", "Invalid number, expected digit but got: \"x\".", 1, 2);
  expect_lex_error("0b10", "Invalid number, expected digit but got: \"b\".", 1, 2);
  expect_lex_error("123abc", "Invalid number, expected digit but got: \"a\".", 1, 4);
  expect_lex_error("1_234", "Invalid number, expected digit but got: \"_\".", 1, 2);
  // Not a name start: the number ends, and the character after it is the error.
  expect_lex_error("1\xC3\x9F", "Unexpected character: U+00DF.", 1, 2);
}

TEST(Lexer, ReadsStringsWithEveryEscape) {
  struct Case {
    const char* source;
    std::string value;
  };
  const Case cases[] = {
      {R"("")", ""},
      {R"("simple")", "simple"},
      {R"(" white space ")", " white space "},
      {R"("quote \"")", "quote \""},
      {R"("escaped \n\r\b\t\f")", "escaped \n\r\b\t\f"},
      {R"("slashes \\ \/")", "slashes \\ /"},
      {R"("unicode \u1234\u5678\u90AB\uCDEF")",
       "unicode \xE1\x88\xB4\xE5\x99\xB8\xE9\x82\xAB\xEC\xB7\xAF"},
      {R"("lower \u00e9")", "lower \xC3\xA9"},
      {R"("\u{1F600}")", "\xF0\x9F\x98\x80"},
      {R"("\u{41}\u{00000041}")", "AA"},
      {R"("\u{10FFFF}")", "\xF4\x8F\xBF\xBF"},
      {R"("\uD83D\uDE00")", "\xF0\x9F\x98\x80"},  // a surrogate pair is one character
      {R"("\u{0}")", std::string(1, '\0')},
      {"\"unescaped \xC3\xA9 \xF0\x9F\x98\x80\"", "unescaped \xC3\xA9 \xF0\x9F\x98\x80"},
      // October 2021: any Unicode scalar value is a source character, control characters too.
      {"\"tab\tand \x01\x7F\"", "tab\tand \x01\x7F"},
  };
  for (const Case& c : cases) {
    const Token token = first_token(c.source);
    EXPECT_EQ(token.kind, TokenKind::kString) << c.source;
    EXPECT_EQ(token.value, c.value) << c.source;
  }
}

TEST(Lexer, RejectsBadStrings) {
  expect_lex_error("\"", "Unterminated string.", 1, 2);
  expect_lex_error("\"no end", "Unterminated string.", 1, 8);
  expect_lex_error("\"multi\nline\"", "Unterminated string.", 1, 7);
  expect_lex_error("\"multi\rline\"", "Unterminated string.", 1, 7);
  expect_lex_error(R"("bad \z esc")", "Invalid character escape sequence: \"\\z\".", 1, 6);
  expect_lex_error(R"("bad \x esc")", "Invalid character escape sequence: \"\\x\".", 1, 6);
  expect_lex_error(R"("bad \u1 esc")", "Invalid Unicode escape sequence: \"\\u1 es\".", 1, 6);
  expect_lex_error(R"("bad \u0XX1 esc")", "Invalid Unicode escape sequence: \"\\u0XX1\".", 1, 6);
  expect_lex_error(R"("bad \uXXXX esc")", "Invalid Unicode escape sequence: \"\\uXXXX\".", 1, 6);
  expect_lex_error(R"("bad \uFXXX esc")", "Invalid Unicode escape sequence: \"\\uFXXX\".", 1, 6);
  expect_lex_error(R"("lone \uD800")", "Invalid Unicode escape sequence: \"\\uD800\".", 1, 7);
  expect_lex_error(R"("lone \uDE00")", "Invalid Unicode escape sequence: \"\\uDE00\".", 1, 7);
  expect_lex_error(R"("pair \uD83D\u0041")", "Invalid Unicode escape sequence: \"\\uD83D\".", 1, 7);
  expect_lex_error(R"("reversed \uDE00\uD83D")", "Invalid Unicode escape sequence: \"\\uDE00\".", 1,
                   11);
  expect_lex_error(R"("\u{}")", "Invalid Unicode escape sequence: \"\\u{}\".", 1, 2);
  expect_lex_error(R"("\u{110000}")", "Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 2);
  expect_lex_error(R"("\u{D800}")", "Invalid Unicode escape sequence: \"\\u{D800}\".", 1, 2);
  expect_lex_error(R"("\u{12G}")", "Invalid Unicode escape sequence: \"\\u{12G\".", 1, 2);
  expect_lex_error(R"("\u{000000041}")", "Invalid Unicode escape sequence: \"\\u{000000041\".", 1,
                   2);
  expect_lex_error(R"("\u{FFFFFFFF}")", "Invalid Unicode escape sequence: \"\\u{FFFFFFFF\".", 1, 2);
  expect_lex_error("\"\\", "Invalid character escape sequence: \"\\\".", 1, 2);
  // UTF-8 that encodes a surrogate, and bytes that are not UTF-8 at all.
  expect_lex_error("\"a\xED\xA0\x80\"", "Invalid character within String: U+D800.", 1, 3);
  expect_lex_error("\"a\xFF\"", "Invalid character within String: 0xFF (not UTF-8).", 1, 3);
  expect_lex_error("\"a\xC0\xAF\"", "Invalid character within String: 0xC0 (not UTF-8).", 1, 3);
}

TEST(Lexer, ReadsBlockStrings) {
  struct Case {
    const char* source;
    std::string value;
  };
  const Case cases[] = {
      {R"("""""")", ""},
      {R"("""simple""")", "simple"},
      {R"(""" white space """)", " white space "},
      {R"("""contains " quote""")", "contains \" quote"},
      {R"("""contains \""" triple quote""")", "contains \"\"\" triple quote"},
      {R"("""contains \"" two quotes""")", "contains \\\"\" two quotes"},
      {"\"\"\"multi\nline\"\"\"", "multi\nline"},
      {"\"\"\"multi\rline\r\nnormalized\"\"\"", "multi\nline\nnormalized"},
      {R"("""unescaped \n\r\b\t\f\u1234""")", R"(unescaped \n\r\b\t\f\u1234)"},
      {R"("""slashes \\ \/""")", R"(slashes \\ \/)"},
      {"\"\"\"\n\n        spans\n          multiple\n            lines\n\n        \"\"\"",
       "spans\n  multiple\n    lines"},
      {"\"\"\"\xC3\xA9 \xF0\x9F\x98\x80\"\"\"", "\xC3\xA9 \xF0\x9F\x98\x80"},
  };
  for (const Case& c : cases) {
    const Token token = first_token(c.source);
    EXPECT_EQ(token.kind, TokenKind::kBlockString) << c.source;
    EXPECT_EQ(token.value, c.value) << c.source;
  }
}

TEST(Lexer, BlockStringLocationsCountTheirLines) {
  const std::vector<Token> tokens = all_tokens("\"\"\"\n  a\r\n  b\r\"\"\" name");
  ASSERT_EQ(tokens.size(), 2U);
  EXPECT_EQ(tokens[0].value, "a\nb");
  EXPECT_EQ(tokens[1].location, (SourceLocation{4, 5}));
}

TEST(Lexer, RejectsBadBlockStrings) {
  expect_lex_error("\"\"\"", "Unterminated string.", 1, 4);
  expect_lex_error("\"\"\"no end \"\"", "Unterminated string.", 1, 13);
  expect_lex_error("\"\"\"a\n\\\"\"\"", "Unterminated string.", 2, 5);
  expect_lex_error("\"\"\"a\xED\xBF\xBF\"\"\"", "Invalid character within String: U+DFFF.", 1, 5);
}

TEST(Lexer, RejectsCharactersOutsideTheGrammar) {
  expect_lex_error("..", "Unexpected character: \".\".", 1, 1);
  expect_lex_error("?", "Unexpected character: \"?\".", 1, 1);
  expect_lex_error("a ~", "Unexpected character: \"~\".", 1, 3);
  expect_lex_error("'single'",
                   "Unexpected single quote character ('), did you mean to use a double quote "
                   "(\")?",
                   1, 1);
  expect_lex_error("\x07", "Unexpected character: U+0007.", 1, 1);
  expect_lex_error(std::string_view("a\0", 2), "Unexpected character: U+0000.", 1, 2);
  expect_lex_error("\x7F", "Unexpected character: U+007F.", 1, 1);
  expect_lex_error("\xC2\xA0", "Unexpected character: U+00A0.", 1, 1);
  expect_lex_error("\xF0\x9F\x98\x80", "Unexpected character: U+1F600.", 1, 1);
  expect_lex_error("\xED\xA0\x80", "Invalid character: U+D800.", 1, 1);
  expect_lex_error("\xFF", "Invalid character: 0xFF (not UTF-8).", 1, 1);
  expect_lex_error("\xE2\x82", "Invalid character: 0xE2 (not UTF-8).", 1, 1);
  // A comment ends where a non-character is, and that is reported.
  expect_lex_error("# \xFF", "Invalid character: 0xFF (not UTF-8).", 1, 3);
}

}  // namespace
}  // namespace choreo::graphql
