using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// The <c>const</c> and <c>static readonly</c> values a versioned method's code reads, as the C# a person wrote,
    /// after its code on the function page: one block per declaring type, headed by the type's name in a comment, its
    /// fields in declaration order.
    /// <code>
    /// // App.Prompts
    /// const string Style = "Be brief.";
    /// static readonly string Closing = "Answer in one line.";
    /// </code>
    /// Only for people: the hash covers <see cref="ReadValues"/>' own text, which this does not change.
    /// </summary>
    internal static class ReadValuesText
    {
        public static string Format(IEnumerable<FieldDefinition> fields, MethodSource source)
        {
            var text = new StringBuilder();
            foreach (var group in fields.GroupBy(f => f.DeclaringType).OrderBy(g => TypeName(g.Key), StringComparer.Ordinal))
            {
                text.Append("\n\n// ").Append(TypeName(group.Key));
                var read = new HashSet<FieldDefinition>(group);
                foreach (var field in group.Key.Fields.Where(read.Contains))
                {
                    text.Append('\n').Append(Declaration(field, source));
                }
            }

            return text.ToString();
        }

        private static string Declaration(FieldDefinition field, MethodSource source)
        {
            var type = CSharpTypeName.Format(field.FieldType);
            if (field.HasConstant)
            {
                return "const " + type + " " + field.Name + " = " + CSharpLiteral.Of(field.Constant, field.FieldType) + ";";
            }

            var declared = "static readonly " + type + " " + field.Name;
            var initializer = source.FieldInitializerText(field)?.Trim();
            if (initializer is null)
            {
                return declared + "; // its value's source was not found";
            }

            // A field initializer (its sequence point spans the declaration: `public static readonly string Closing =
            // "..."`) or a static constructor's `Closing = ...;` / `Prompts.Closing = ...;`: the value after the name's `=`.
            var assignment = Regex.Match(initializer, @"^[^=]*?(?<![\w@])@?" + Regex.Escape(field.Name) + @"\s*=(?!=)\s*(?<value>.*?)\s*;?$", RegexOptions.Singleline);
            return assignment.Success
                ? declared + " = " + assignment.Groups["value"].Value + ";"
                : declared + "; // set in the static constructor: " + initializer;
        }

        /// <summary>The type's C# name with its namespace (a nested type's is its outermost type's).</summary>
        private static string TypeName(TypeDefinition type)
        {
            var outermost = type;
            while (outermost.DeclaringType is not null)
            {
                outermost = outermost.DeclaringType;
            }

            var name = CSharpTypeName.Format(type);
            return string.IsNullOrEmpty(outermost.Namespace) ? name : outermost.Namespace + "." + name;
        }
    }
}
