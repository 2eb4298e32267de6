using System;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Propagation
{
    /// <summary>
    /// Which header format <see cref="MirascopeOps.InjectContext(System.Collections.Generic.IDictionary{string, string})"/> and
    /// friends use: the one set in code (<see cref="MirascopeOps.UsePropagator"/>), else the <c>MIRASCOPE_PROPAGATOR</c>
    /// environment variable (read once, at first use), else W3C Trace Context.
    /// </summary>
    internal static class PropagatorSettings
    {
        public const string EnvironmentVariable = "MIRASCOPE_PROPAGATOR";

        private const string ValidNames = "tracecontext, b3, b3multi, jaeger, composite";

        private static volatile Selection? _selection;

        /// <summary>The configured propagator.</summary>
        /// <exception cref="InvalidOperationException">MIRASCOPE_PROPAGATOR names no known format.</exception>
        public static TextMapPropagator Current
        {
            get
            {
                var selection = _selection ?? (_selection = FromEnvironment());
                if (selection.Error is not null)
                {
                    throw new InvalidOperationException(selection.Error);
                }

                return selection.Propagator!;
            }
        }

        public static void Use(PropagatorFormat format)
        {
            _selection = new Selection(For(format), null);
        }

        /// <summary>Forgets the format set in code, so the environment variable is read again at next use.</summary>
        public static void Reset()
        {
            _selection = null;
        }

        /// <summary>Parses a format name as <c>MIRASCOPE_PROPAGATOR</c> takes it (case-insensitive).</summary>
        public static bool TryParse(string? name, out PropagatorFormat format)
        {
            switch (name?.Trim().ToLowerInvariant())
            {
                case "tracecontext": format = PropagatorFormat.TraceContext; return true;
                case "b3": format = PropagatorFormat.B3; return true;
                case "b3multi": format = PropagatorFormat.B3Multi; return true;
                case "jaeger": format = PropagatorFormat.Jaeger; return true;
                case "composite": format = PropagatorFormat.Composite; return true;
                default: format = default; return false;
            }
        }

        /// <summary>Parses a format name for configuration code (e.g. an options binder).</summary>
        /// <exception cref="ArgumentException">The name is not a known format; the message lists the valid ones.</exception>
        public static PropagatorFormat Parse(string name, string settingName)
        {
            if (TryParse(name, out var format))
            {
                return format;
            }

            throw new ArgumentException(Describe(settingName, name), settingName);
        }

        public static TextMapPropagator For(PropagatorFormat format) => format switch
        {
            PropagatorFormat.B3 => B3Propagator.SingleHeader,
            PropagatorFormat.B3Multi => B3Propagator.MultiHeader,
            PropagatorFormat.Jaeger => JaegerPropagator.Instance,
            PropagatorFormat.Composite => CompositePropagator.All,
            _ => TraceContextPropagator.Instance,
        };

        internal static Selection FromEnvironmentValue(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return new Selection(TraceContextPropagator.Instance, null);
            }

            if (TryParse(value, out var format))
            {
                return new Selection(For(format), null);
            }

            var error = Describe(EnvironmentVariable, value!);
            OpsEventSource.Log.PropagatorConfigurationInvalid(error);
            return new Selection(null, error);
        }

        private static Selection FromEnvironment()
        {
            string? value;
            try
            {
                value = Environment.GetEnvironmentVariable(EnvironmentVariable);
            }
            catch (System.Security.SecurityException)
            {
                value = null;
            }

            return FromEnvironmentValue(value);
        }

        private static string Describe(string settingName, string value) =>
            settingName + " is '" + value + "', which is not a propagator format. Use one of: " + ValidNames + ".";

        internal sealed class Selection
        {
            public Selection(TextMapPropagator? propagator, string? error)
            {
                Propagator = propagator;
                Error = error;
            }

            public TextMapPropagator? Propagator { get; }

            public string? Error { get; }
        }
    }
}
