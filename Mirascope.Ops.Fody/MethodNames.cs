using System.Text;
using Mono.Cecil;

namespace Mirascope.Ops.Fody
{
    /// <summary>The names a person recognises: <c>Outer.Inner.Method</c>, no generic arity, no compiler mangling.</summary>
    internal static class MethodNames
    {
        public static string QualifiedName(MethodDefinition method)
        {
            var type = method.DeclaringType;
            if (type.DeclaringType is null && type.Name.IndexOf('`') < 0 && !type.Name.StartsWith("<", System.StringComparison.Ordinal))
            {
                // The usual top-level, non-generic type: its name is used as it is.
                return type.Name + "." + MethodName(method);
            }

            var builder = new StringBuilder(64);
            AppendTypeName(builder, method.DeclaringType);
            return builder.Append('.').Append(MethodName(method)).ToString();
        }

        public static string TypeName(TypeReference type)
        {
            var builder = new StringBuilder(32);
            AppendTypeName(builder, type);
            return builder.ToString();
        }

        public static string Namespace(TypeReference type)
        {
            while (type.DeclaringType is not null)
            {
                type = type.DeclaringType;
            }

            return type.Namespace ?? string.Empty;
        }

        /// <summary>
        /// The source name of a method: <c>Local</c> for the local function <c>&lt;Outer&gt;g__Local|0_0</c>,
        /// <c>Outer.lambda</c> for a lambda, the name itself otherwise.
        /// </summary>
        public static string MethodName(MethodDefinition method)
        {
            var name = method.Name;
            if (method.IsConstructor)
            {
                return "ctor";
            }

            // Only explicit implementations have a dot in their name; test that first: HasOverrides is a locked lazy metadata read.
            if (name.IndexOf('.') > 0 && method.HasOverrides)
            {
                // An explicit interface implementation: 'IShape.Area', not 'MyApp.Shapes.IShape.Area'.
                var implemented = method.Overrides[0];
                return TypeName(implemented.DeclaringType) + "." + implemented.Name;
            }

            if (name.Length == 0 || name[0] != '<')
            {
                return name;
            }

            var close = name.IndexOf('>');
            var outer = close > 1 ? name.Substring(1, close - 1) : name;
            var localMarker = name.IndexOf("g__", System.StringComparison.Ordinal);
            if (localMarker > 0)
            {
                var end = name.IndexOf('|', localMarker);
                return end > localMarker ? name.Substring(localMarker + 3, end - localMarker - 3) : name.Substring(localMarker + 3);
            }

            return outer + ".lambda";
        }

        /// <summary>Outermost type first, dot-separated; the caller's builder must be empty.</summary>
        private static void AppendTypeName(StringBuilder builder, TypeReference? type)
        {
            if (type is null)
            {
                return;
            }

            AppendTypeName(builder, type.DeclaringType);

            // Lambdas and local functions live in compiler-generated display classes; the person wrote the outer types.
            var name = type.Name;
            if (name.StartsWith("<", System.StringComparison.Ordinal))
            {
                return;
            }

            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            var tick = name.IndexOf('`');
            builder.Append(name, 0, tick < 0 ? name.Length : tick);
        }

        public static string StripArity(string name)
        {
            var tick = name.IndexOf('`');
            return tick < 0 ? name : name.Substring(0, tick);
        }
    }
}
