using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mirascope.Ops.Viewer.Storage.Retention
{
    /// <summary>
    /// Runs retention (<see cref="RetentionRun"/>) at start and then every <see cref="ViewerOptions.RetentionInterval"/>, on
    /// a thread of its own so the batches' pauses never hold a request thread; among viewers sharing a PostgreSQL store,
    /// only the one holding the <see cref="RetentionLease"/> runs at a time.
    /// </summary>
    internal sealed class RetentionService : BackgroundService
    {
        private readonly RetentionRun _run;
        private readonly ViewerOptions _options;
        private readonly ILogger<RetentionService> _logger;

        public RetentionService(RetentionRun run, ViewerOptions options, ILogger<RetentionService> logger)
        {
            _run = run;
            _options = options;
            _logger = logger;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();   // start of the host does not wait for the first run
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var deleted = await Task.Run(() => _run.RunOnce(DateTimeOffset.UtcNow, stoppingToken), stoppingToken).ConfigureAwait(false);
                    if (deleted > 0)
                    {
                        _logger.LogInformation("Retention deleted {Deleted} traces (each project by its own age and size limits).", deleted);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception exception)
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
