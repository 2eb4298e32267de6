using System;
using System.Collections.Concurrent;
using System.Linq;

namespace Mirascope.Ops.Tracing
{
    /// <summary>A runtime type named as a person writes it (<c>List&lt;int&gt;</c>), for placeholders.</summary>
    internal static class FriendlyTypeName
    {
        private static readonly ConcurrentDictionary<Type, string> Cache = new ConcurrentDictionary<Type, string>();

        public static string Of(Type type) => Cache.GetOrAdd(type, Format);

        private static string Format(Type type)
        {
            if (type.IsArray)
            {
                return Format(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
            }

            if (!type.IsGenericType)
            {
                return Keyword(type) ?? type.Name;
            }

            var name = type.Name;
            var tick = name.IndexOf('`');
            var simple = tick < 0 ? name : name.Substring(0, tick);
            return simple + "<" + string.Join(", ", type.GetGenericArguments().Select(Format)) + ">";
        }

        /// <summary>The C# keyword of a built-in type (<c>int</c>, not <c>Int32</c>), as the weaver names argument types.</summary>
        private static string? Keyword(Type type) => Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "bool",
            TypeCode.Byte => "byte",
            TypeCode.SByte => "sbyte",
            TypeCode.Char => "char",
            TypeCode.Int16 => "short",
            TypeCode.UInt16 => "ushort",
            TypeCode.Int32 when !type.IsEnum => "int",
            TypeCode.UInt32 when !type.IsEnum => "uint",
            TypeCode.Int64 when !type.IsEnum => "long",
            TypeCode.UInt64 when !type.IsEnum => "ulong",
            TypeCode.Single => "float",
            TypeCode.Double => "double",
            TypeCode.Decimal => "decimal",
            TypeCode.String => "string",
            _ => type == typeof(object) ? "object" : null,
        };
    }
}
