// The rules of cobuild's schema lint (docs/schema-lint.md). Run from the repository root
// with `make lint-schema`; paths below are relative to this folder.
module.exports = {
  // The schema is one document in several files: the entry point first, then the parts
  // that extend its Query.
  schemaPaths: ['../../schema.graphqls', '../../schema/*.graphqls'],
  customRulePaths: ['./descriptions_start_with_a_capital_letter.js'],
  rules: [
    // Every part of the schema carries a description (GraphiQL's documentation pane is
    // what analysts and dashboard developers read).
    'types-have-descriptions',
    'fields-have-descriptions',
    'arguments-have-descriptions',
    'enum-values-have-descriptions',
    'input-object-values-have-descriptions',
    'deprecations-have-a-reason',
    // Descriptions read as English sentences: the built-in rule (fields), and ours for
    // types, arguments, enum values and input fields too.
    'descriptions-are-capitalized',
    'descriptions-start-with-a-capital-letter',
    // Naming conventions the API already follows.
    'types-are-capitalized',
    'fields-are-camel-cased',
    'input-object-values-are-camel-cased',
    'enum-values-all-caps',
    // No dead types.
    'defined-types-are-used',
    // Lists are Relay connections with keyset cursors.
    'relay-connection-types-spec',
    'relay-connection-arguments-spec',
    'relay-page-info-spec',
    // Left out on purpose:
    // - enum-values-sorted-alphabetically: enum values are in the domain's order (tiers
    //   best first, coverage statuses in the order the rules apply them), which is the
    //   order GraphiQL shows and the order analysts expect.
    // - type-fields-sorted-alphabetically, interface-fields-sorted-alphabetically,
    //   input-object-fields-sorted-alphabetically: fields are grouped by meaning (id and
    //   name first, a value beside its Chinese label, counts beside their rates).
  ],
};
