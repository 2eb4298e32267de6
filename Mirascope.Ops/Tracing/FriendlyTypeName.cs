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
                return type.Name;
            }

            var name = type.Name;
            var tick = name.IndexOf('`');
            var simple = tick < 0 ? name : name.Substring(0, tick);
            return simple + "<" + string.Join(", ", type.GetGenericArguments().Select(Format)) + ">";
        }
    }
}
