//! Every node and expansion kind of the parser's syntax tree has a rule in
//! the analysis, documented in `docs/commands.md` ("Shell features"). The
//! matches below have no wildcard arm: a parser upgrade that adds a kind
//! fails to compile here until the kind is given a rule and a row in the
//! table.

// `Kind { .. }` matches every shape of variant, so a variant that changes
// shape keeps its row.
#![allow(clippy::unneeded_struct_pattern)]

use brush_parser::ast;
use brush_parser::word;

/// The table row of a `Command`.
pub(crate) fn command(x: &ast::Command) -> &'static str {
    match x {
        ast::Command::Simple { .. } => "Command::Simple",
        ast::Command::Compound { .. } => "Command::Compound",
        ast::Command::Function { .. } => "Command::Function",
        ast::Command::ExtendedTest { .. } => "Command::ExtendedTest",
    }
}

/// The table row of a `CompoundCommand`.
pub(crate) fn compound_command(x: &ast::CompoundCommand) -> &'static str {
    match x {
        ast::CompoundCommand::Arithmetic { .. } => "CompoundCommand::Arithmetic",
        ast::CompoundCommand::ArithmeticForClause { .. } => "CompoundCommand::ArithmeticForClause",
        ast::CompoundCommand::BraceGroup { .. } => "CompoundCommand::BraceGroup",
        ast::CompoundCommand::Subshell { .. } => "CompoundCommand::Subshell",
        ast::CompoundCommand::ForClause { .. } => "CompoundCommand::ForClause",
        ast::CompoundCommand::CaseClause { .. } => "CompoundCommand::CaseClause",
        ast::CompoundCommand::IfClause { .. } => "CompoundCommand::IfClause",
        ast::CompoundCommand::WhileClause { .. } => "CompoundCommand::WhileClause",
        ast::CompoundCommand::UntilClause { .. } => "CompoundCommand::UntilClause",
        ast::CompoundCommand::Coprocess { .. } => "CompoundCommand::Coprocess",
    }
}

/// The table row of a `CommandPrefixOrSuffixItem`.
pub(crate) fn command_prefix_or_suffix_item(x: &ast::CommandPrefixOrSuffixItem) -> &'static str {
    match x {
        ast::CommandPrefixOrSuffixItem::IoRedirect { .. } => {
            "CommandPrefixOrSuffixItem::IoRedirect"
        }
        ast::CommandPrefixOrSuffixItem::Word { .. } => "CommandPrefixOrSuffixItem::Word",
        ast::CommandPrefixOrSuffixItem::AssignmentWord { .. } => {
            "CommandPrefixOrSuffixItem::AssignmentWord"
        }
        ast::CommandPrefixOrSuffixItem::ProcessSubstitution { .. } => {
            "CommandPrefixOrSuffixItem::ProcessSubstitution"
        }
    }
}

/// The table row of a `IoRedirect`.
pub(crate) fn io_redirect(x: &ast::IoRedirect) -> &'static str {
    match x {
        ast::IoRedirect::File { .. } => "IoRedirect::File",
        ast::IoRedirect::HereDocument { .. } => "IoRedirect::HereDocument",
        ast::IoRedirect::HereString { .. } => "IoRedirect::HereString",
        ast::IoRedirect::OutputAndError { .. } => "IoRedirect::OutputAndError",
    }
}

/// The table row of a `IoFileRedirectTarget`.
pub(crate) fn io_file_redirect_target(x: &ast::IoFileRedirectTarget) -> &'static str {
    match x {
        ast::IoFileRedirectTarget::Filename { .. } => "IoFileRedirectTarget::Filename",
        ast::IoFileRedirectTarget::Fd { .. } => "IoFileRedirectTarget::Fd",
        ast::IoFileRedirectTarget::ProcessSubstitution { .. } => {
            "IoFileRedirectTarget::ProcessSubstitution"
        }
        ast::IoFileRedirectTarget::Duplicate { .. } => "IoFileRedirectTarget::Duplicate",
    }
}

/// The table row of a `AssignmentName`.
pub(crate) fn assignment_name(x: &ast::AssignmentName) -> &'static str {
    match x {
        ast::AssignmentName::VariableName { .. } => "AssignmentName::VariableName",
        ast::AssignmentName::ArrayElementName { .. } => "AssignmentName::ArrayElementName",
    }
}

/// The table row of a `AssignmentValue`.
pub(crate) fn assignment_value(x: &ast::AssignmentValue) -> &'static str {
    match x {
        ast::AssignmentValue::Scalar { .. } => "AssignmentValue::Scalar",
        ast::AssignmentValue::Array { .. } => "AssignmentValue::Array",
    }
}

/// The table row of a `ExtendedTestExpr`.
pub(crate) fn extended_test_expr(x: &ast::ExtendedTestExpr) -> &'static str {
    match x {
        ast::ExtendedTestExpr::And { .. } => "ExtendedTestExpr::And",
        ast::ExtendedTestExpr::Or { .. } => "ExtendedTestExpr::Or",
        ast::ExtendedTestExpr::Not { .. } => "ExtendedTestExpr::Not",
        ast::ExtendedTestExpr::Parenthesized { .. } => "ExtendedTestExpr::Parenthesized",
        ast::ExtendedTestExpr::UnaryTest { .. } => "ExtendedTestExpr::UnaryTest",
        ast::ExtendedTestExpr::BinaryTest { .. } => "ExtendedTestExpr::BinaryTest",
    }
}

/// The table row of a `AndOr`.
pub(crate) fn and_or(x: &ast::AndOr) -> &'static str {
    match x {
        ast::AndOr::And { .. } => "AndOr::And",
        ast::AndOr::Or { .. } => "AndOr::Or",
    }
}

/// The table row of a `SeparatorOperator`.
pub(crate) fn separator_operator(x: &ast::SeparatorOperator) -> &'static str {
    match x {
        ast::SeparatorOperator::Async { .. } => "SeparatorOperator::Async",
        ast::SeparatorOperator::Sequence { .. } => "SeparatorOperator::Sequence",
    }
}

/// The table row of a `WordPiece`.
pub(crate) fn word_piece(x: &word::WordPiece) -> &'static str {
    match x {
        word::WordPiece::Text { .. } => "WordPiece::Text",
        word::WordPiece::SingleQuotedText { .. } => "WordPiece::SingleQuotedText",
        word::WordPiece::AnsiCQuotedText { .. } => "WordPiece::AnsiCQuotedText",
        word::WordPiece::DoubleQuotedSequence { .. } => "WordPiece::DoubleQuotedSequence",
        word::WordPiece::GettextDoubleQuotedSequence { .. } => {
            "WordPiece::GettextDoubleQuotedSequence"
        }
        word::WordPiece::TildeExpansion { .. } => "WordPiece::TildeExpansion",
        word::WordPiece::ParameterExpansion { .. } => "WordPiece::ParameterExpansion",
        word::WordPiece::CommandSubstitution { .. } => "WordPiece::CommandSubstitution",
        word::WordPiece::BackquotedCommandSubstitution { .. } => {
            "WordPiece::BackquotedCommandSubstitution"
        }
        word::WordPiece::EscapeSequence { .. } => "WordPiece::EscapeSequence",
        word::WordPiece::ArithmeticExpression { .. } => "WordPiece::ArithmeticExpression",
    }
}

/// The table row of a `TildeExpr`.
pub(crate) fn tilde_expr(x: &word::TildeExpr) -> &'static str {
    match x {
        word::TildeExpr::Home { .. } => "TildeExpr::Home",
        word::TildeExpr::UserHome { .. } => "TildeExpr::UserHome",
        word::TildeExpr::WorkingDir { .. } => "TildeExpr::WorkingDir",
        word::TildeExpr::OldWorkingDir { .. } => "TildeExpr::OldWorkingDir",
        word::TildeExpr::NthDirFromTopOfDirStack { .. } => "TildeExpr::NthDirFromTopOfDirStack",
        word::TildeExpr::NthDirFromBottomOfDirStack { .. } => {
            "TildeExpr::NthDirFromBottomOfDirStack"
        }
    }
}

/// The table row of a `Parameter`.
pub(crate) fn parameter(x: &word::Parameter) -> &'static str {
    match x {
        word::Parameter::Positional { .. } => "Parameter::Positional",
        word::Parameter::Special { .. } => "Parameter::Special",
        word::Parameter::Named { .. } => "Parameter::Named",
        word::Parameter::NamedWithIndex { .. } => "Parameter::NamedWithIndex",
        word::Parameter::NamedWithAllIndices { .. } => "Parameter::NamedWithAllIndices",
    }
}

/// The table row of a `ParameterExpr`.
pub(crate) fn parameter_expr(x: &word::ParameterExpr) -> &'static str {
    match x {
        word::ParameterExpr::Parameter { .. } => "ParameterExpr::Parameter",
        word::ParameterExpr::UseDefaultValues { .. } => "ParameterExpr::UseDefaultValues",
        word::ParameterExpr::AssignDefaultValues { .. } => "ParameterExpr::AssignDefaultValues",
        word::ParameterExpr::IndicateErrorIfNullOrUnset { .. } => {
            "ParameterExpr::IndicateErrorIfNullOrUnset"
        }
        word::ParameterExpr::UseAlternativeValue { .. } => "ParameterExpr::UseAlternativeValue",
        word::ParameterExpr::ParameterLength { .. } => "ParameterExpr::ParameterLength",
        word::ParameterExpr::RemoveSmallestSuffixPattern { .. } => {
            "ParameterExpr::RemoveSmallestSuffixPattern"
        }
        word::ParameterExpr::RemoveLargestSuffixPattern { .. } => {
            "ParameterExpr::RemoveLargestSuffixPattern"
        }
        word::ParameterExpr::RemoveSmallestPrefixPattern { .. } => {
            "ParameterExpr::RemoveSmallestPrefixPattern"
        }
        word::ParameterExpr::RemoveLargestPrefixPattern { .. } => {
            "ParameterExpr::RemoveLargestPrefixPattern"
        }
        word::ParameterExpr::Substring { .. } => "ParameterExpr::Substring",
        word::ParameterExpr::Transform { .. } => "ParameterExpr::Transform",
        word::ParameterExpr::UppercaseFirstChar { .. } => "ParameterExpr::UppercaseFirstChar",
        word::ParameterExpr::UppercasePattern { .. } => "ParameterExpr::UppercasePattern",
        word::ParameterExpr::LowercaseFirstChar { .. } => "ParameterExpr::LowercaseFirstChar",
        word::ParameterExpr::LowercasePattern { .. } => "ParameterExpr::LowercasePattern",
        word::ParameterExpr::ReplaceSubstring { .. } => "ParameterExpr::ReplaceSubstring",
        word::ParameterExpr::VariableNames { .. } => "ParameterExpr::VariableNames",
        word::ParameterExpr::MemberKeys { .. } => "ParameterExpr::MemberKeys",
    }
}

/// Every row: one per kind above.
pub(crate) const ALL: &[&str] = &[
    "Command::Simple",
    "Command::Compound",
    "Command::Function",
    "Command::ExtendedTest",
    "CompoundCommand::Arithmetic",
    "CompoundCommand::ArithmeticForClause",
    "CompoundCommand::BraceGroup",
    "CompoundCommand::Subshell",
    "CompoundCommand::ForClause",
    "CompoundCommand::CaseClause",
    "CompoundCommand::IfClause",
    "CompoundCommand::WhileClause",
    "CompoundCommand::UntilClause",
    "CompoundCommand::Coprocess",
    "CommandPrefixOrSuffixItem::IoRedirect",
    "CommandPrefixOrSuffixItem::Word",
    "CommandPrefixOrSuffixItem::AssignmentWord",
    "CommandPrefixOrSuffixItem::ProcessSubstitution",
    "IoRedirect::File",
    "IoRedirect::HereDocument",
    "IoRedirect::HereString",
    "IoRedirect::OutputAndError",
    "IoFileRedirectTarget::Filename",
    "IoFileRedirectTarget::Fd",
    "IoFileRedirectTarget::ProcessSubstitution",
    "IoFileRedirectTarget::Duplicate",
    "AssignmentName::VariableName",
    "AssignmentName::ArrayElementName",
    "AssignmentValue::Scalar",
    "AssignmentValue::Array",
    "ExtendedTestExpr::And",
    "ExtendedTestExpr::Or",
    "ExtendedTestExpr::Not",
    "ExtendedTestExpr::Parenthesized",
    "ExtendedTestExpr::UnaryTest",
    "ExtendedTestExpr::BinaryTest",
    "AndOr::And",
    "AndOr::Or",
    "SeparatorOperator::Async",
    "SeparatorOperator::Sequence",
    "WordPiece::Text",
    "WordPiece::SingleQuotedText",
    "WordPiece::AnsiCQuotedText",
    "WordPiece::DoubleQuotedSequence",
    "WordPiece::GettextDoubleQuotedSequence",
    "WordPiece::TildeExpansion",
    "WordPiece::ParameterExpansion",
    "WordPiece::CommandSubstitution",
    "WordPiece::BackquotedCommandSubstitution",
    "WordPiece::EscapeSequence",
    "WordPiece::ArithmeticExpression",
    "TildeExpr::Home",
    "TildeExpr::UserHome",
    "TildeExpr::WorkingDir",
    "TildeExpr::OldWorkingDir",
    "TildeExpr::NthDirFromTopOfDirStack",
    "TildeExpr::NthDirFromBottomOfDirStack",
    "Parameter::Positional",
    "Parameter::Special",
    "Parameter::Named",
    "Parameter::NamedWithIndex",
    "Parameter::NamedWithAllIndices",
    "ParameterExpr::Parameter",
    "ParameterExpr::UseDefaultValues",
    "ParameterExpr::AssignDefaultValues",
    "ParameterExpr::IndicateErrorIfNullOrUnset",
    "ParameterExpr::UseAlternativeValue",
    "ParameterExpr::ParameterLength",
    "ParameterExpr::RemoveSmallestSuffixPattern",
    "ParameterExpr::RemoveLargestSuffixPattern",
    "ParameterExpr::RemoveSmallestPrefixPattern",
    "ParameterExpr::RemoveLargestPrefixPattern",
    "ParameterExpr::Substring",
    "ParameterExpr::Transform",
    "ParameterExpr::UppercaseFirstChar",
    "ParameterExpr::UppercasePattern",
    "ParameterExpr::LowercaseFirstChar",
    "ParameterExpr::LowercasePattern",
    "ParameterExpr::ReplaceSubstring",
    "ParameterExpr::VariableNames",
    "ParameterExpr::MemberKeys",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/commands.md");
        let text = std::fs::read_to_string(path).expect("docs/commands.md");
        let start = text
            .find("## Shell features")
            .expect("a Shell features section");
        text[start..].to_string()
    }

    #[test]
    fn every_syntax_kind_has_a_documented_rule() {
        let docs = docs();
        let missing: Vec<&&str> = ALL
            .iter()
            .filter(|k| !docs.contains(&format!("| `{k}` |")))
            .collect();
        assert!(
            missing.is_empty(),
            "kinds without a row in docs/commands.md: {missing:?}"
        );
    }

    #[test]
    fn parsed_kinds_are_listed() {
        let program = crate::guards::command::parse::program(
            "a=1 ls >x; (cd s) | { y; } & if t; then :; fi; f() { :; }; [[ -v x ]]; ((1))",
        )
        .unwrap();
        for list in &program.complete_commands {
            for item in &list.0 {
                assert!(ALL.contains(&separator_operator(&item.1)));
                for c in &item.0.first.seq {
                    assert!(ALL.contains(&command(c)));
                    if let ast::Command::Compound(cc, _) = c {
                        assert!(ALL.contains(&compound_command(cc)));
                    }
                }
            }
        }
    }
}
