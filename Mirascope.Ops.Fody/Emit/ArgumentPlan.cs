using System.Collections.Generic;
using System.Text;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>How one parameter's value reaches <c>mirascope.trace.arg_values</c>.</summary>
    internal enum ArgumentMode
    {
        /// <summary>Passed to <c>TraceScope.Arg&lt;T&gt;</c> (dereferenced first for <c>ref</c>/<c>in</c>).</summary>
        Value,

        /// <summary><c>[NoTrace]</c>: recorded as <c>"[redacted]"</c>.</summary>
        Redacted,

        /// <summary>A value that cannot be boxed or passed generically (ref structs, pointers): a readable placeholder.</summary>
        Placeholder,

        /// <summary>A <c>ReadOnlySpan&lt;char&gt;</c>: recorded as its text.</summary>
        Text,

        /// <summary><c>[RecordToString]</c>: passed to <c>TraceScope.ArgFormatted&lt;T&gt;</c>, recorded as its <c>ToString()</c>.</summary>
        Formatted,
    }

    /// <summary>One recorded parameter. <c>out</c> parameters are not recorded: they have no value at entry.</summary>
    internal sealed class ArgumentRecording
    {
        public ArgumentRecording(ParameterDefinition parameter, ArgumentMode mode, TypeReference valueType, string typeName)
        {
            Parameter = parameter;
            Mode = mode;
            ValueType = valueType;
            TypeName = typeName;
        }

        public ParameterDefinition Parameter { get; }

        public ArgumentMode Mode { get; }

        /// <summary>The type handed to <c>Arg&lt;T&gt;</c>: the parameter type, or its element type for <c>ref</c>/<c>in</c>.</summary>
        public TypeReference ValueType { get; }

        public string TypeName { get; }

        public bool IsByReference => Parameter.ParameterType is ByReferenceType;

        public string Placeholder => "<" + TypeName + ">";
    }

    /// <summary>Decides, at build time, which parameters are recorded and how.</summary>
    internal static class ArgumentPlan
    {
        public static IReadOnlyList<ArgumentRecording> For(MethodDefinition method)
        {
            var recordings = new List<ArgumentRecording>(method.Parameters.Count);
            foreach (var parameter in method.Parameters)
            {
                if (parameter.IsOut && parameter.ParameterType is ByReferenceType && !parameter.IsIn)
                {
                    continue;
                }

                var type = parameter.ParameterType;
                var valueType = type is ByReferenceType byReference ? byReference.ElementType : type;
                var typeName = CSharpTypeName.Format(valueType);
                ArgumentMode mode;
                if (HasNoTrace(parameter))
                {
                    mode = ArgumentMode.Redacted;
                }
                else if (parameter.HasCustomAttributes && Attributes.Has(parameter, RuntimeTypeNames.RecordToStringAttribute)
                    && !(valueType is PointerType || valueType is FunctionPointerType || IsByRefLike(valueType)))
                {
                    mode = ArgumentMode.Formatted;
                }
                else if (IsReadOnlySpanOfChar(valueType))
                {
                    mode = ArgumentMode.Text;
                }
                else if (valueType is PointerType || valueType is FunctionPointerType || IsByRefLike(valueType))
                {
                    mode = ArgumentMode.Placeholder;
                }
                else
                {
                    mode = ArgumentMode.Value;
                }

                recordings.Add(new ArgumentRecording(parameter, mode, StripModifiers(valueType), typeName));
            }

            return recordings;
        }

        /// <summary>The <c>mirascope.trace.arg_types</c> JSON object, built in <paramref name="builder"/> (cleared first).</summary>
        public static string TypesJson(IReadOnlyList<ArgumentRecording> recordings, StringBuilder builder)
        {
            if (recordings.Count == 0)
            {
                return "{}";
            }

            builder.Clear().Append('{');
            for (var i = 0; i < recordings.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                Json.AppendString(builder, recordings[i].Parameter.Name);
                builder.Append(':');
                Json.AppendString(builder, recordings[i].TypeName);
            }

            return builder.Append('}').ToString();
        }

        public static bool IsByRefLike(TypeReference type)
        {
            if (type is GenericParameter || type is ArrayType || type is PointerType || IsBuiltIn(type.MetadataType))
            {
                return false;
            }

            if (type is TypeSpecification specification && !(type is GenericInstanceType))
            {
                return IsByRefLike(specification.ElementType);
            }

            TypeDefinition? definition;
            try
            {
                definition = type.Resolve();
            }
            catch (AssemblyResolutionException)
            {
                return false;
            }

            return definition is not null && definition.IsValueType
                && Attributes.Has(definition, "System.Runtime.CompilerServices.IsByRefLikeAttribute");
        }

        /// <summary>
        /// The primitive types, string and object: never by-ref-like, and resolving them (through the reference
        /// assemblies' type forwards) is the expensive part of asking.
        /// </summary>
        private static bool IsBuiltIn(MetadataType type) => type switch
        {
            MetadataType.Void or MetadataType.Boolean or MetadataType.Char or MetadataType.SByte or MetadataType.Byte
                or MetadataType.Int16 or MetadataType.UInt16 or MetadataType.Int32 or MetadataType.UInt32
                or MetadataType.Int64 or MetadataType.UInt64 or MetadataType.Single or MetadataType.Double
                or MetadataType.String or MetadataType.IntPtr or MetadataType.UIntPtr or MetadataType.Object => true,
            _ => false,
        };

        private static bool IsReadOnlySpanOfChar(TypeReference type) =>
            type is GenericInstanceType generic
            && generic.ElementType.FullName == "System.ReadOnlySpan`1"
            && generic.GenericArguments[0].MetadataType == MetadataType.Char;

        private static bool HasNoTrace(ParameterDefinition parameter) =>
            parameter.HasCustomAttributes && Attributes.Has(parameter, RuntimeTypeNames.NoTraceAttribute);

        private static TypeReference StripModifiers(TypeReference type)
        {
            while (type is IModifierType modifier)
            {
                type = modifier.ElementType;
            }

            return type;
        }
    }
}
