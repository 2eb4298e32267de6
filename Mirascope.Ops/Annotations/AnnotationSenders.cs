using System;
using System.Threading;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Annotations
{
    /// <summary>
    /// Where annotations made from code go. The runtime knows no receiver — it depends on nothing but
    /// System.Diagnostics.DiagnosticSource — so the export package registers a sender for each configured Mirascope
    /// Cloud receiver and removes it when that export shuts down. An annotation no sender takes is dropped and counted.
    /// </summary>
    internal static class AnnotationSenders
    {
        /// <summary>Takes an annotation (queues it off the caller's path) and returns true, or returns false when it is not for this sender.</summary>
        internal delegate bool Sender(Annotation annotation);

        // Written when an export starts or stops, read on every annotation: a copy-on-write array.
        private static volatile Sender[] _senders = Array.Empty<Sender>();
        private static long _droppedWithoutReceiver;

        /// <summary>Annotations dropped because no configured receiver took them.</summary>
        public static long DroppedWithoutReceiver => Interlocked.Read(ref _droppedWithoutReceiver);

        public static void Register(Sender sender)
        {
            lock (typeof(AnnotationSenders))
            {
                if (Array.IndexOf(_senders, sender) >= 0) return;
                var grown = new Sender[_senders.Length + 1];
                _senders.CopyTo(grown, 0);
                grown[grown.Length - 1] = sender;
                _senders = grown;
            }
        }

        public static void Unregister(Sender sender)
        {
            lock (typeof(AnnotationSenders))
            {
                _senders = Array.FindAll(_senders, s => s != sender);
            }
        }

        /// <summary>Hands the annotation to every sender that takes it; true when at least one did. Never throws.</summary>
        public static bool Submit(Annotation annotation)
        {
            var taken = false;
            foreach (var sender in _senders)
            {
                try
                {
                    taken |= sender(annotation);
                }
                catch (Exception ex)
                {
                    OpsEventSource.Log.TracingFailed("queue an annotation", ex);
                }
            }

            if (!taken)
            {
                Drop("no Mirascope Cloud receiver took it (none is configured: set MIRASCOPE_API_KEY or OpsOptions.ApiKey; or its request queue was full)");
            }

            return taken;
        }

        /// <summary>Counts an annotation that never left the runtime and says why.</summary>
        public static void Drop(string reason)
        {
            Interlocked.Increment(ref _droppedWithoutReceiver);
            OpsEventSource.Log.AnnotationDropped(reason);
        }
    }
}
