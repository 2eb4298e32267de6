using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http.Headers;

namespace Mirascope.Ops.Propagation
{
    /// <summary>Reads header values from a carrier; names match case-insensitively, as in HTTP.</summary>
    internal abstract class CarrierReader
    {
        /// <summary>All values of <paramref name="name"/>, or null when absent.</summary>
        public abstract IEnumerable<string>? Values(string name);

        /// <summary>The first non-empty value, trimmed, or null.</summary>
        public string? First(string name)
        {
            var values = Values(name);
            if (values is null)
            {
                return null;
            }

            foreach (var value in values)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    return value.Trim();
                }
            }

            return null;
        }

        /// <summary>All non-empty values joined with commas (a list-valued header sent as several lines), or null.</summary>
        public string? Joined(string name)
        {
            var values = Values(name);
            if (values is null)
            {
                return null;
            }

            string? joined = null;
            foreach (var value in values)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    joined = joined is null ? value.Trim() : joined + "," + value.Trim();
                }
            }

            return joined;
        }

        public static CarrierReader ForPairs<TValue>(IEnumerable<KeyValuePair<string, TValue>> carrier) => new PairsReader<TValue>(carrier);

        public static CarrierReader ForHeaders(HttpHeaders headers) => new HeadersReader(headers);

        public static CarrierReader ForGetter<TCarrier>(TCarrier carrier, Func<TCarrier, string, IEnumerable<string>?> getter) =>
            new GetterReader<TCarrier>(carrier, getter);

        private sealed class PairsReader<TValue> : CarrierReader
        {
            private readonly IEnumerable<KeyValuePair<string, TValue>> _carrier;

            public PairsReader(IEnumerable<KeyValuePair<string, TValue>> carrier)
            {
                _carrier = carrier;
            }

            public override IEnumerable<string>? Values(string name)
            {
                List<string>? found = null;
                foreach (var pair in _carrier)
                {
                    if (pair.Key is null || !string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    found ??= new List<string>(1);
                    switch (pair.Value)
                    {
                        case null:
                            break;
                        case string text:
                            found.Add(text);
                            break;
                        // string[], List<string>, StringValues (ASP.NET Core request headers): a list-valued header.
                        case IEnumerable<string> texts:
                            foreach (var text in texts)
                            {
                                if (text is not null)
                                {
                                    found.Add(text);
                                }
                            }

                            break;
                        default:
                            found.Add(Convert.ToString(pair.Value, CultureInfo.InvariantCulture) ?? string.Empty);
                            break;
                    }
                }

                return found;
            }
        }

        private sealed class HeadersReader : CarrierReader
        {
            private readonly HttpHeaders _headers;

            public HeadersReader(HttpHeaders headers)
            {
                _headers = headers;
            }

            public override IEnumerable<string>? Values(string name) =>
                _headers.TryGetValues(name, out var values) ? values : null;
        }

        private sealed class GetterReader<TCarrier> : CarrierReader
        {
            private readonly TCarrier _carrier;
            private readonly Func<TCarrier, string, IEnumerable<string>?> _getter;

            public GetterReader(TCarrier carrier, Func<TCarrier, string, IEnumerable<string>?> getter)
            {
                _carrier = carrier;
                _getter = getter;
            }

            public override IEnumerable<string>? Values(string name) => _getter(_carrier, name);
        }
    }
}
