using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// Listens to the gen_ai instruments of the Mirascope.Ops meter and keeps the measurements of one model (tests run
    /// in parallel, each with its own model name).
    /// </summary>
    internal sealed class GenAiMeasurements : IDisposable
    {
        private readonly MeterListener _listener;
        private readonly ConcurrentQueue<Measurement> _measurements = new ConcurrentQueue<Measurement>();

        public GenAiMeasurements(string model)
        {
            _listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == "Mirascope.Ops" && instrument.Name.StartsWith("gen_ai.", StringComparison.Ordinal))
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            {
                var dictionary = new Dictionary<string, object?>();
                foreach (var tag in tags) dictionary[tag.Key] = tag.Value;
                if (Equals(dictionary.GetValueOrDefault("gen_ai.request.model"), model))
                {
                    _measurements.Enqueue(new Measurement(instrument.Name, KindOf(instrument), instrument.Unit, value, dictionary));
                }
            }

            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
            _listener.Start();
        }

        public IReadOnlyList<Measurement> All => _measurements.ToArray();

        public IReadOnlySet<string> Instruments => All.Select(m => m.Instrument).ToHashSet();

        public Measurement Single(string instrument) => All.Single(m => m.Instrument == instrument);

        public void Dispose() => _listener.Dispose();

        private static string KindOf(Instrument instrument) => instrument.GetType().Name switch
        {
            var n when n.StartsWith("Histogram", StringComparison.Ordinal) => "histogram",
            var n when n.StartsWith("Counter", StringComparison.Ordinal) => "counter",
            var n => n,
        };

        internal sealed record Measurement(string Instrument, string Kind, string? Unit, double Value, Dictionary<string, object?> Tags);
    }
}
