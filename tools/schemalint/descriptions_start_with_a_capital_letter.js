// A custom rule of cobuild's schema lint (see docs/schema-lint.md): every description of a
// type, field, argument, enum value and input field starts with a capital letter A-Z, so
// that it reads as an English sentence in GraphiQL's documentation pane. The built-in
// descriptions-are-capitalized checks fields only, and lets a description that starts with
// anything but a lower-case letter (a digit, a backtick, a Chinese character) through.
'use strict';

const { ValidationError } = require('graphql-schema-linter/lib/validation_error');

const RULE = 'descriptions-start-with-a-capital-letter';

function DescriptionsStartWithACapitalLetter(context) {
  const check = (node, what) => {
    const d = node.description && node.description.value;
    if (typeof d !== 'string' || d.length === 0 || /^[A-Z]/.test(d)) {
      return; // a missing description is the *-have-descriptions rules' business
    }
    context.reportError(new ValidationError(RULE, `The description of ${what} should start with a capital letter: "${d.slice(0, 40)}".`, [node]));
  };
  const parentName = (ancestors) => {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const a = ancestors[i];
      if (a && !Array.isArray(a) && a.name && a.kind !== 'FieldDefinition') return a.name.value;
    }
    return '?';
  };
  const typeCheck = (node) => check(node, `type \`${node.name.value}\``);
  return {
    ScalarTypeDefinition: typeCheck,
    ObjectTypeDefinition: typeCheck,
    InterfaceTypeDefinition: typeCheck,
    UnionTypeDefinition: typeCheck,
    EnumTypeDefinition: typeCheck,
    InputObjectTypeDefinition: typeCheck,
    FieldDefinition(node, key, parent, path, ancestors) {
      check(node, `field \`${parentName(ancestors)}.${node.name.value}\``);
      for (const arg of node.arguments || []) {
        check(arg, `argument \`${parentName(ancestors)}.${node.name.value}(${arg.name.value})\``);
      }
    },
    InputValueDefinition(node, key, parent, path, ancestors) {
      const owner = ancestors[ancestors.length - 1];
      if (owner && !Array.isArray(owner) && owner.kind === 'InputObjectTypeDefinition') {
        check(node, `input field \`${owner.name.value}.${node.name.value}\``);
      }
    },
    EnumValueDefinition(node, key, parent, path, ancestors) {
      check(node, `enum value \`${parentName(ancestors)}.${node.name.value}\``);
    },
  };
}

module.exports = { DescriptionsStartWithACapitalLetter };
