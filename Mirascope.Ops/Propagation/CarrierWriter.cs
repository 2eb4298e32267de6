using System;
using System.Collections.Generic;
using System.Net.Http.Headers;

namespace Mirascope.Ops.Propagation
{
    /// <summary>Writes header values into a carrier, replacing any value already there.</summary>
    internal abstract class CarrierWriter
    {
        public abstract void Set(string name, string value);

        public static CarrierWriter ForDictionary(IDictionary<string, string> carrier) => new DictionaryWriter(carrier);

        public static CarrierWriter ForHeaders(HttpHeaders headers) => new HeadersWriter(headers);

        public static CarrierWriter ForSetter<TCarrier>(TCarrier carrier, Action<TCarrier, string, string> setter) =>
            new SetterWriter<TCarrier>(carrier, setter);

        private sealed class DictionaryWriter : CarrierWriter
        {
            private readonly IDictionary<string, string> _carrier;

            public DictionaryWriter(IDictionary<string, string> carrier)
            {
                _carrier = carrier;
            }

            public override void Set(string name, string value) => _carrier[name] = value;
        }

        private sealed class HeadersWriter : CarrierWriter
        {
            private readonly HttpHeaders _headers;

            public HeadersWriter(HttpHeaders headers)
            {
                _headers = headers;
            }

            public override void Set(string name, string value)
            {
                _headers.Remove(name);
                _headers.TryAddWithoutValidation(name, value);
            }
        }

        private sealed class SetterWriter<TCarrier> : CarrierWriter
        {
            private readonly TCarrier _carrier;
            private readonly Action<TCarrier, string, string> _setter;

            public SetterWriter(TCarrier carrier, Action<TCarrier, string, string> setter)
            {
                _carrier = carrier;
                _setter = setter;
            }

            public override void Set(string name, string value) => _setter(_carrier, name, value);
        }
    }
}
