using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http.Headers;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Propagation;
using Mirascope.Ops.Sessions;

namespace Mirascope.Ops
{
    public static partial class MirascopeOps
    {
        /// <summary>The header that carries the session id between services: <c>Mirascope-Session-Id</c>.</summary>
        public const string SessionHeaderName = SessionAttributeKeys.Header;

        /// <summary>
        /// Sets the header format used to inject and extract trace context, overriding the
        /// <c>MIRASCOPE_PROPAGATOR</c> environment variable. Applies process-wide.
        /// </summary>
        /// <param name="format">The format.</param>
        public static void UsePropagator(PropagatorFormat format) => PropagatorSettings.Use(format);

        /// <summary>
        /// Writes the current span's context (in the configured format) and the current session id
        /// (<c>Mirascope-Session-Id</c>) into <paramref name="carrier"/>, e.g. the headers of an outgoing message.
        /// Writes nothing for what is absent.
        /// </summary>
        /// <param name="carrier">The headers to write into; existing values of the same names are replaced.</param>
        /// <exception cref="InvalidOperationException"><c>MIRASCOPE_PROPAGATOR</c> names no known format.</exception>
        public static void InjectContext(IDictionary<string, string> carrier)
        {
            if (carrier is null) throw new ArgumentNullException(nameof(carrier));
            Inject(CarrierWriter.ForDictionary(carrier));
        }

        /// <summary>
        /// Writes the current span's context and session id into HTTP headers, e.g.
        /// <c>MirascopeOps.InjectContext(request.Headers)</c> on an <see cref="System.Net.Http.HttpRequestMessage"/>.
        /// </summary>
        /// <param name="headers">The headers to write into; existing values of the same names are replaced.</param>
        /// <exception cref="InvalidOperationException"><c>MIRASCOPE_PROPAGATOR</c> names no known format.</exception>
        public static void InjectContext(HttpHeaders headers)
        {
            if (headers is null) throw new ArgumentNullException(nameof(headers));
            Inject(CarrierWriter.ForHeaders(headers));
        }

        /// <summary>Writes the current span's context and session id into any carrier, through <paramref name="setter"/>.</summary>
        /// <typeparam name="TCarrier">The carrier type (message properties, gRPC metadata, ...).</typeparam>
        /// <param name="carrier">The carrier.</param>
        /// <param name="setter">Sets one header: <c>(carrier, name, value)</c>.</param>
        /// <exception cref="InvalidOperationException"><c>MIRASCOPE_PROPAGATOR</c> names no known format.</exception>
        public static void InjectContext<TCarrier>(TCarrier carrier, Action<TCarrier, string, string> setter)
        {
            if (setter is null) throw new ArgumentNullException(nameof(setter));
            Inject(CarrierWriter.ForSetter(carrier, setter));
        }

        /// <summary>
        /// Reads the remote parent span (in the configured format) and the session id from incoming headers: any
        /// dictionary of strings or of string lists (<c>Dictionary&lt;string, string&gt;</c>, ASP.NET Core's
        /// <c>Request.Headers</c>, ...). Header names match case-insensitively. Malformed headers give an empty
        /// context, never an exception.
        /// </summary>
        /// <typeparam name="TValue">The value type: a string, or a list of strings (the first is used).</typeparam>
        /// <param name="carrier">The incoming headers.</param>
        /// <returns>What was found.</returns>
        /// <exception cref="InvalidOperationException"><c>MIRASCOPE_PROPAGATOR</c> names no known format.</exception>
        public static ExtractedContext ExtractContext<TValue>(IEnumerable<KeyValuePair<string, TValue>> carrier)
        {
            if (carrier is null) throw new ArgumentNullException(nameof(carrier));
            return Extract(CarrierReader.ForPairs(carrier));
        }

        /// <summary>Reads the remote parent span and the session id from HTTP headers (see the dictionary overload).</summary>
        /// <param name="headers">The incoming headers.</param>
        /// <returns>What was found.</returns>
        /// <exception cref="InvalidOperationException"><c>MIRASCOPE_PROPAGATOR</c> names no known format.</exception>
        public static ExtractedContext ExtractContext(HttpHeaders headers)
        {
            if (headers is null) throw new ArgumentNullException(nameof(headers));
            return Extract(CarrierReader.ForHeaders(headers));
        }

        /// <summary>Reads the remote parent span and the session id from any carrier, through <paramref name="getter"/>.</summary>
        /// <typeparam name="TCarrier">The carrier type.</typeparam>
        /// <param name="carrier">The carrier.</param>
        /// <param name="getter">Returns the values of one header, or null: <c>(carrier, name) =&gt; values</c>.</param>
        /// <returns>What was found.</returns>
        /// <exception cref="InvalidOperationException"><c>MIRASCOPE_PROPAGATOR</c> names no known format.</exception>
        public static ExtractedContext ExtractContext<TCarrier>(TCarrier carrier, Func<TCarrier, string, IEnumerable<string>?> getter)
        {
            if (getter is null) throw new ArgumentNullException(nameof(getter));
            return Extract(CarrierReader.ForGetter(carrier, getter));
        }

        /// <summary>
        /// Continues the caller's trace and session: until the returned scope is disposed, Mirascope.Ops spans started
        /// here are children of the remote span found in <paramref name="extractFrom"/>, and the session id found
        /// there is the current session. Without a trace header, spans keep their usual parent; without a session
        /// header, the current session stays. Typical use, in a request handler:
        /// <c>using (MirascopeOps.PropagatedContext(extractFrom: Request.Headers)) { ... }</c>.
        /// </summary>
        /// <typeparam name="TValue">The value type: a string, or a list of strings.</typeparam>
        /// <param name="extractFrom">The incoming headers.</param>
        /// <returns>The scope; dispose it to restore the previous context.</returns>
        /// <exception cref="InvalidOperationException"><c>MIRASCOPE_PROPAGATOR</c> names no known format.</exception>
        public static PropagatedContextScope PropagatedContext<TValue>(IEnumerable<KeyValuePair<string, TValue>> extractFrom) =>
            PropagatedContext(ExtractContext(extractFrom));

        /// <summary>Continues the caller's trace and session found in HTTP headers (see the dictionary overload).</summary>
        /// <param name="extractFrom">The incoming headers.</param>
        /// <returns>The scope; dispose it to restore the previous context.</returns>
        /// <exception cref="InvalidOperationException"><c>MIRASCOPE_PROPAGATOR</c> names no known format.</exception>
        public static PropagatedContextScope PropagatedContext(HttpHeaders extractFrom) =>
            PropagatedContext(ExtractContext(extractFrom));

        /// <summary>
        /// Continues a trace and session already extracted (<see cref="ExtractContext(HttpHeaders)"/>) or received some
        /// other way: Mirascope.Ops spans started in the scope are children of <paramref name="parent"/>.
        /// </summary>
        /// <param name="parent">The remote parent and session id.</param>
        /// <returns>The scope; dispose it to restore the previous context.</returns>
        public static PropagatedContextScope PropagatedContext(ExtractedContext parent)
        {
            var session = parent.SessionId is null ? null : AmbientSession.Enter(SessionContext.Create(parent.SessionId, null));
            var frame = parent.HasParent ? PropagatedParent.Enter(parent.ActivityContext) : null;
            return new PropagatedContextScope(parent, frame, session);
        }

        private static void Inject(CarrierWriter carrier)
        {
            var propagator = PropagatorSettings.Current;
            try
            {
                var context = ContextToInject();
                if (context.TraceId != default && context.SpanId != default)
                {
                    propagator.Inject(context, carrier);
                }

                var session = AmbientSession.Current;
                if (session is not null)
                {
                    carrier.Set(SessionAttributeKeys.Header, session.Id);
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("inject context", ex);
            }
        }

        private static ExtractedContext Extract(CarrierReader carrier)
        {
            var propagator = PropagatorSettings.Current;
            try
            {
                return new ExtractedContext(propagator.Extract(carrier), carrier.First(SessionAttributeKeys.Header));
            }
            catch (Exception ex)
            {
                // A carrier that throws while enumerated, a getter that throws: the request goes on without a parent.
                OpsEventSource.Log.TracingFailed("extract context", ex);
                return default;
            }
        }

        /// <summary>The context a new span would take as parent here: a propagated remote parent, else the current activity.</summary>
        private static ActivityContext ContextToInject()
        {
            var propagated = PropagatedParent.ForNewSpan();
            if (propagated.TraceId != default)
            {
                return propagated;
            }

            var current = Activity.Current;
            return current is null || current.IdFormat != ActivityIdFormat.W3C ? default : current.Context;
        }
    }
}
