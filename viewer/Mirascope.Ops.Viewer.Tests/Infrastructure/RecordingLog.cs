using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>A logger provider that keeps every line the viewer logs (message and exception text) for a test to read.</summary>
    internal sealed class RecordingLog : ILoggerProvider
    {
        private readonly List<string> _lines = new List<string>();

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToArray();
                }
            }
        }

        public string Text => string.Join("\n", Lines);

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger : ILogger
        {
            private readonly RecordingLog _log;

            public Logger(RecordingLog log)
            {
                _log = log;
            }

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (_log._lines)
                {
                    _log._lines.Add($"{logLevel}: {formatter(state, exception)}{(exception is null ? string.Empty : "\n" + exception)}");
                }
            }
        }
    }
}
