using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>An ILogger that keeps every formatted message, for tests of <c>OpsOptions.Logger</c>.</summary>
    public sealed class CollectingLogger : ILogger
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Message)> _messages = new ConcurrentQueue<(LogLevel, string)>();

        public IReadOnlyList<(LogLevel Level, string Message)> Messages => _messages.ToArray();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            _messages.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
