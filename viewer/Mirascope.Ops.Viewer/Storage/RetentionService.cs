using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>Applies retention (age and count) at start and then periodically.</summary>
    internal sealed class RetentionService : BackgroundService
    {
        private readonly TraceStore _store;
        private readonly ViewerOptions _options;
        private readonly ILogger<RetentionService> _logger;

        public RetentionService(TraceStore store, ViewerOptions options, ILogger<RetentionService> logger)
        {
            _store = store;
            _options = options;
            _logger = logger;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (_options.MaxAge is null && _options.MaxTraces is null)
            {
                return;
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var deleted = _store.ApplyRetention(DateTimeOffset.UtcNow - _options.MaxAge, _options.MaxTraces);
                    if (deleted > 0)
                    {
                        _logger.LogInformation("Retention deleted {Deleted} traces (older than {MaxAge} or beyond the newest {MaxTraces}).", deleted, _options.MaxAge, _options.MaxTraces);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    _logger.LogWarning(exception, "Retention failed; it is tried again in {Interval}.", _options.RetentionInterval);
                }

                try
                {
                    await Task.Delay(_options.RetentionInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
