using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>Collects the Mirascope-Ops EventSource's self-diagnostics (formatted messages and payloads).</summary>
    public sealed class OpsEvents : EventListener
    {
        private readonly ConcurrentQueue<(int Id, string Text)> _events = new ConcurrentQueue<(int, string)>();
        private readonly ConcurrentQueue<(int Id, object?[] Payload)> _payloads = new ConcurrentQueue<(int, object?[])>();

        public IReadOnlyList<(int Id, string Text)> Events => _events.ToArray();

        public IReadOnlyList<string> TextsOf(int id) => Events.Where(e => e.Id == id).Select(e => e.Text).ToList();

        /// <summary>The payloads of event <paramref name="id"/> whose first field (the destination, for export events) is <paramref name="destination"/>.</summary>
        public IReadOnlyList<object?[]> PayloadsOf(int id, string destination) =>
            _payloads.Where(e => e.Id == id && e.Payload.Length > 0 && Equals(e.Payload[0], destination)).Select(e => e.Payload).ToList();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Mirascope-Ops")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs data)
        {
            var payload = data.Payload is null ? Array.Empty<object?>() : data.Payload.ToArray();
            string text;
            try
            {
                text = data.Message is null ? string.Join(" | ", payload) : string.Format(data.Message, payload);
            }
            catch (FormatException)
            {
                text = data.Message + " | " + string.Join(" | ", payload);
            }

            _events.Enqueue((data.EventId, text + " || " + string.Join(" | ", payload)));
            _payloads.Enqueue((data.EventId, payload));
        }
    }
}
