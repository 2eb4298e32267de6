using System.Collections.Generic;
using System.Linq;
using System.Text;
using Mono.Cecil;

namespace Mirascope.Ops.Fody
{
    /// <summary>Formats a type as a person writes it in C#: <c>int</c>, <c>Dictionary&lt;string, string&gt;</c>, <c>int[]</c>, <c>T</c>.</summary>
    internal static class CSharpTypeName
    {
        private static readonly Dictionary<string, string> Keywords = new Dictionary<string, string>
        {
            ["System.Void"] = "void",
            ["System.Object"] = "object",
            ["System.String"] = "string",
            ["System.Boolean"] = "bool",
            ["System.Char"] = "char",
            ["System.SByte"] = "sbyte",
            ["System.Byte"] = "byte",
            ["System.Int16"] = "short",
            ["System.UInt16"] = "ushort",
            ["System.Int32"] = "int",
            ["System.UInt32"] = "uint",
            ["System.Int64"] = "long",
            ["System.UInt64"] = "ulong",
            ["System.Single"] = "float",
            ["System.Double"] = "double",
            ["System.Decimal"] = "decimal",
            ["System.IntPtr"] = "nint",
            ["System.UIntPtr"] = "nuint",
        };

        public static string Format(TypeReference type)
        {
            // Most parameters are a keyword type or a type parameter: their text already exists.
            if (type is GenericParameter parameter)
            {
                return parameter.Name;
            }

            if (!(type is TypeSpecification) && Keywords.TryGetValue(type.FullName, out var keyword))
            {
                return keyword;
            }

            var builder = new StringBuilder();
            Append(builder, type);
            return builder.ToString();
        }

        private static void Append(StringBuilder builder, TypeReference type)
        {
            switch (type)
            {
                case GenericParameter parameter:
                    builder.Append(parameter.Name);
                    return;
                case ByReferenceType byReference:
                    Append(builder, byReference.ElementType);
                    return;
                case PointerType pointer:
                    Append(builder, pointer.ElementType);
                    builder.Append('*');
                    return;
                case ArrayType array:
                    Append(builder, array.ElementType);
                    builder.Append('[').Append(',', array.Rank - 1).Append(']');
                    return;
                case RequiredModifierType required:
                    Append(builder, required.ElementType);
                    return;
                case OptionalModifierType optional:
                    Append(builder, optional.ElementType);
                    return;
                case GenericInstanceType generic:
                    AppendGeneric(builder, generic);
                    return;
            }

            if (Keywords.TryGetValue(type.FullName, out var keyword))
            {
                builder.Append(keyword);
                return;
            }

            AppendNamed(builder, type, new List<TypeReference>());
        }

        private static void AppendGeneric(StringBuilder builder, GenericInstanceType generic)
        {
            var element = generic.ElementType;
            var arguments = generic.GenericArguments;
            if (element.FullName == "System.Nullable`1")
            {
                Append(builder, arguments[0]);
                builder.Append('?');
                return;
            }

            if (element.Namespace == "System" && element.Name.StartsWith("ValueTuple`", System.StringComparison.Ordinal) && arguments.Count < 8)
            {
                builder.Append('(');
                for (var i = 0; i < arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    Append(builder, arguments[i]);
                }

                builder.Append(')');
                return;
            }

            AppendNamed(builder, element, arguments.ToList());
        }

        /// <summary>Writes <c>Outer&lt;A&gt;.Inner&lt;B&gt;</c>, handing each nesting level its own share of the generic arguments.</summary>
        private static void AppendNamed(StringBuilder builder, TypeReference type, List<TypeReference> arguments)
        {
            var chain = new List<TypeReference>();
            for (var current = type; current is not null; current = current.DeclaringType)
            {
                chain.Insert(0, current);
            }

            var used = 0;
            for (var level = 0; level < chain.Count; level++)
            {
                var name = chain[level].Name;
                if (level > 0)
                {
                    builder.Append('.');
                }

                builder.Append(MethodNames.StripArity(name));
                var tick = name.IndexOf('`');
                if (tick < 0 || !int.TryParse(name.Substring(tick + 1), out var arity))
                {
                    continue;
                }

                builder.Append('<');
                for (var i = 0; i < arity; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    if (used < arguments.Count)
                    {
                        Append(builder, arguments[used]);
                    }
                    else
                    {
                        builder.Append(chain[level].GenericParameters.Count > i ? chain[level].GenericParameters[i].Name : "T");
                    }

                    used++;
                }

                builder.Append('>');
            }
        }
    }
}
