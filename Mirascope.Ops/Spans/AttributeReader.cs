using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Spans
{
    /// <summary>
    /// Reads the attributes a user passes as one object: a dictionary (any value type) or an anonymous object
    /// (<c>new { team = "core" }</c>), whose public properties are read in declaration order. Never throws.
    /// </summary>
    internal static class AttributeReader
    {
        private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new ConcurrentDictionary<Type, PropertyInfo[]>();

        /// <summary>Returns the attributes in their order, or null when <paramref name="attributes"/> is null or unreadable.</summary>
        public static List<KeyValuePair<string, object?>>? Read(object? attributes)
        {
            if (attributes is null)
            {
                return null;
            }

            try
            {
                return ReadPairs(attributes);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("read attributes", ex);
                return null;
            }
        }

        private static List<KeyValuePair<string, object?>>? ReadPairs(object attributes)
        {
            switch (attributes)
            {
                case IEnumerable<KeyValuePair<string, object?>> pairs:
                    return new List<KeyValuePair<string, object?>>(pairs);
                case IEnumerable<KeyValuePair<string, string>> texts:
                {
                    var list = new List<KeyValuePair<string, object?>>();
                    foreach (var pair in texts)
                    {
                        list.Add(new KeyValuePair<string, object?>(pair.Key, pair.Value));
                    }

                    return list;
                }

                case IDictionary dictionary:
                {
                    var list = new List<KeyValuePair<string, object?>>(dictionary.Count);
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        list.Add(new KeyValuePair<string, object?>(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, entry.Value));
                    }

                    return list;
                }
            }

            var type = attributes.GetType();
            if (type.IsPrimitive || attributes is string || attributes is IEnumerable)
            {
                // A bare value or a list has no attribute names: nothing sensible to record.
                OpsEventSource.Log.AttributesIgnored(type.FullName ?? type.Name);
                return null;
            }

            var properties = Properties.GetOrAdd(type, ReadableProperties);
            var result = new List<KeyValuePair<string, object?>>(properties.Length);
            foreach (var property in properties)
            {
                result.Add(new KeyValuePair<string, object?>(property.Name, GetValue(property, attributes)));
            }

            return result;
        }

        // The attributes object is the user's own (an anonymous object, in practice), passed on purpose: in a trimmed
        // app a property the trimmer removed is not recorded.
        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Properties trimmed away are simply not read.")]
        private static PropertyInfo[] ReadableProperties(Type type)
        {
            var readable = new List<PropertyInfo>();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.CanRead && property.GetIndexParameters().Length == 0 && property.GetMethod is { IsPublic: true })
                {
                    readable.Add(property);
                }
            }

            return readable.ToArray();
        }

        private static object? GetValue(PropertyInfo property, object owner)
        {
            try
            {
                return property.GetValue(owner);
            }
            catch (Exception ex)
            {
                var inner = ex is TargetInvocationException { InnerException: { } thrown } ? thrown : ex;
                return "<" + property.Name + ": getter threw " + inner.GetType().Name + ">";
            }
        }
    }
}
