using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Keeps System.Text.Json away from values whose serialization would run code with effects: a task's
    /// <c>Result</c> blocks, a lazy <see cref="IEnumerable"/> or <c>IQueryable</c> would run a query, a stream would be
    /// read. Such values, at any depth, are written as a <c>"&lt;TypeName&gt;"</c> placeholder instead.
    /// </summary>
    internal sealed class OpaqueValueConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => IsOpaque(typeToConvert);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Placeholder<>).MakeGenericType(typeToConvert))!;

        public static bool IsOpaque(Type type)
        {
            if (type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(object))
            {
                return false;
            }

            if (typeof(Task).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type) || typeof(Stream).IsAssignableFrom(type)
                || typeof(TextReader).IsAssignableFrom(type) || typeof(TextWriter).IsAssignableFrom(type)
                || typeof(WaitHandle).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type)
                || typeof(Assembly).IsAssignableFrom(type) || typeof(IAsyncResult).IsAssignableFrom(type)
                || typeof(IServiceProvider).IsAssignableFrom(type) || typeof(IEnumerator).IsAssignableFrom(type)
                || type == typeof(CancellationToken) || type == typeof(CancellationTokenSource) || type == typeof(Thread))
            {
                return true;
            }

            if (type.IsGenericType)
            {
                var definition = type.GetGenericTypeDefinition();
                if (definition == typeof(ValueTask<>) || definition == typeof(TaskCompletionSource<>) || definition == typeof(Lazy<>))
                {
                    return true;
                }
            }

            if (type == typeof(ValueTask))
            {
                return true;
            }

            var interfaces = type.GetInterfaces();
            if (interfaces.Any(i => i.FullName == "System.Linq.IQueryable" || (i.IsGenericType && i.GetGenericTypeDefinition().FullName == "System.Collections.Generic.IAsyncEnumerable`1")))
            {
                return true;
            }

            // A sequence that does not know its count is lazy: enumerating it would run its producer.
            return typeof(IEnumerable).IsAssignableFrom(type) && !type.IsArray && !IsMaterialized(type, interfaces);
        }

        private static bool IsMaterialized(Type type, Type[] interfaces) =>
            typeof(ICollection).IsAssignableFrom(type)
            || interfaces.Any(i => i.IsGenericType
                && (i.GetGenericTypeDefinition() == typeof(ICollection<>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyCollection<>)))
            || type.FullName?.StartsWith("System.Text.Json.", StringComparison.Ordinal) == true;

        private sealed class Placeholder<T> : JsonConverter<T>
        {
            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException("Mirascope.Ops only writes recorded values.");

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
                writer.WriteStringValue("<" + FriendlyTypeName.Of(value?.GetType() ?? typeof(T)) + ">");
        }
    }
}
