using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Formatters the user registered (<c>OpsOptions.AddValueFormatter&lt;T&gt;</c> (Mirascope.Ops.Export)): the one opt-in
    /// besides <see cref="RecordToStringAttribute"/> that lets recording run the program's code. Copy-on-write, so the
    /// recording path reads it without a lock; every change bumps <see cref="Version"/>, which drops the cached shapes.
    /// </summary>
    internal static class ValueFormatters
    {
        private static Dictionary<Type, Func<object, string?>> _formatters = new Dictionary<Type, Func<object, string?>>();
        private static int _version;

        public static int Version => Volatile.Read(ref _version);

        public static void Add<T>(Func<T, string?> format)
        {
            lock (typeof(ValueFormatters))
            {
                var next = new Dictionary<Type, Func<object, string?>>(_formatters) { [typeof(T)] = value => format((T)value) };
                Volatile.Write(ref _formatters, next);
                Interlocked.Increment(ref _version);
            }
        }

        public static void Clear()
        {
            lock (typeof(ValueFormatters))
            {
                Volatile.Write(ref _formatters, new Dictionary<Type, Func<object, string?>>());
                Interlocked.Increment(ref _version);
            }
        }

        /// <summary>The formatter for <paramref name="type"/>: registered for it, a base class, or an interface it implements.</summary>
        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        public static Func<object, string?>? Find(Type type)
        {
            var formatters = Volatile.Read(ref _formatters);
            if (formatters.Count == 0)
            {
                return null;
            }

            for (var t = type; t is not null; t = t.BaseType)
            {
                if (formatters.TryGetValue(t, out var format))
                {
                    return format;
                }
            }

            foreach (var face in type.GetInterfaces())
            {
                if (formatters.TryGetValue(face, out var format))
                {
                    return format;
                }
            }

            return null;
        }
    }
}
