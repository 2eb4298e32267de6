using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// The values a versioned method's code reads from fields, for its hash: a prompt kept in a <c>const</c> or a
    /// <c>static readonly</c> field is the very edit prompt versioning exists for, and the method's own text does not
    /// change with it.
    /// <list type="bullet">
    /// <item><c>static readonly</c> fields: found in the IL (<c>ldsfld</c>, exact), valued by the source of the
    /// statement that assigns them in the static constructor (so a layout-only edit keeps the hash).</item>
    /// <item><c>const</c> fields: the compiler inlines them, so they are found by name in the code's tokens — a bare
    /// name in the method's type or its enclosing types, or <c>Type.Name</c> for a type of this module — and valued by
    /// their metadata constant.</item>
    /// </list>
    /// </summary>
    internal static class ReadValues
    {
        /// <summary>
        /// The values, twice: <c>Hashed</c>, the text the version hash covers (its form is frozen: a new form would
        /// change every hash of a method that reads a value, and with it the function's identity in Mirascope Cloud),
        /// and <c>Readable</c>, the same values as the C# a person wrote, for the code the function page shows.
        /// </summary>
        public static (string Hashed, string Readable) Describe(ModuleDefinition module, IEnumerable<(MethodDefinition Method, IReadOnlyList<string> Tokens)> code, IEnumerable<MethodBody> bodies, MethodSource source)
        {
            var staticReadonly = StaticReadonlyFields(module, bodies);
            var constants = ConstFields(module, code);
            var hashed = new StringBuilder();
            foreach (var field in staticReadonly.OrderBy(f => f.FullName, StringComparer.Ordinal))
            {
                var initializer = source.FieldInitializer(field);
                hashed.Append("\n\nstatic readonly ").Append(field.FullName).Append(" : ")
                    .Append(initializer is null ? "(no source)" : CSharpTokens.Normalize(initializer));
            }

            foreach (var field in constants.OrderBy(f => f.FullName, StringComparer.Ordinal))
            {
                hashed.Append("\n\nconst ").Append(field.FullName).Append(" = ").Append(HashedValue(field.Constant));
            }

            return (hashed.ToString(), ReadValuesText.Format(staticReadonly.Concat(constants), source));
        }

        private static HashSet<FieldDefinition> StaticReadonlyFields(ModuleDefinition module, IEnumerable<MethodBody> bodies)
        {
            var fields = new HashSet<FieldDefinition>();
            foreach (var body in bodies)
            {
                foreach (var instruction in body.Instructions)
                {
                    if ((instruction.OpCode.Code == Code.Ldsfld || instruction.OpCode.Code == Code.Ldsflda)
                        && instruction.Operand is FieldReference reference && reference.Module == module
                        && Resolve(reference) is { IsStatic: true, IsInitOnly: true } field && field.Module == module
                        && !field.Name.StartsWith("<", StringComparison.Ordinal))
                    {
                        fields.Add(field);
                    }
                }
            }

            return fields;
        }

        private static HashSet<FieldDefinition> ConstFields(ModuleDefinition module, IEnumerable<(MethodDefinition Method, IReadOnlyList<string> Tokens)> code)
        {
            var fields = new HashSet<FieldDefinition>();
            var typesByName = module.GetTypes().ToLookup(t => MethodNames.StripArity(t.Name), StringComparer.Ordinal);
            foreach (var (method, tokens) in code)
            {
                for (var i = 0; i < tokens.Count; i++)
                {
                    var name = tokens[i];
                    if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_' || name[0] == '@'))
                    {
                        continue;
                    }

                    var qualified = i >= 2 && tokens[i - 1] == ".";
                    var owners = qualified ? typesByName[tokens[i - 2]] : EnclosingTypes(method.DeclaringType);
                    foreach (var owner in owners)
                    {
                        foreach (var field in owner.Fields)
                        {
                            if (field.HasConstant && field.Name == name.TrimStart('@'))
                            {
                                fields.Add(field);
                            }
                        }
                    }
                }
            }

            return fields;
        }

        private static IEnumerable<TypeDefinition> EnclosingTypes(TypeDefinition type)
        {
            for (var current = type; current is not null; current = current.DeclaringType)
            {
                yield return current;
            }
        }

        private static FieldDefinition? Resolve(FieldReference reference)
        {
            try
            {
                return reference.Resolve();
            }
            catch (AssemblyResolutionException)
            {
                return null;
            }
        }

        /// <summary>A constant as the hash has always covered it (see <see cref="Describe"/>: not to be changed).</summary>
        private static string HashedValue(object? constant) => constant switch
        {
            null => "null",
            string text => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => constant.ToString() ?? string.Empty,
        };
    }
}
