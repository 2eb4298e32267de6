using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Formatters the user registered (<c>OpsOptions.AddValueFormatter&lt;T&gt;</c> (Mirascope.Ops.Export)): the one opt-in
    /// besides <see cref="RecordToStringAttribute"/> that lets recording run the program's code. They live in the
    /// <see cref="RecordingSettings"/> snapshot: every change publishes a new one, with a new shape cache.
    /// </summary>
    internal static class ValueFormatters
    {
        public static void Add<T>(Func<T, string?> format)
        {
            RecordingSettings.Update(settings =>
            {
                var next = new Dictionary<Type, Func<object, string?>>();
                foreach (var pair in settings.Formatters)
                {
                    next[pair.Key] = pair.Value;
                }

                next[typeof(T)] = value => format((T)value);
                return settings.WithFormatters(next);
            });
        }

        public static void Clear() => RecordingSettings.Update(settings => settings.WithFormatters(new Dictionary<Type, Func<object, string?>>()));

        /// <summary>The formatter for <paramref name="type"/>: registered for it, a base class, or an interface it implements.</summary>
        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        public static Func<object, string?>? Find(Type type, RecordingSettings settings)
        {
            var formatters = settings.Formatters;
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
