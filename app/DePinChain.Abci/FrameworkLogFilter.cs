using Microsoft.Extensions.Logging;

namespace DePinChain.Abci;

/// <summary>
/// Hands out the host's loggers, with the web framework's own categories (ASP.NET Core's <c>Microsoft.*</c> and the gRPC
/// library's <c>Grpc.*</c>) held to a minimum level: the ABCI gRPC transport and the node's API servers log through it, so
/// app.toml's <c>framework_log_level</c> keeps a line per request out of the node's log.
/// </summary>
public sealed class FrameworkLogFilter(ILoggerFactory inner, LogLevel frameworkLevel) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName)
    {
        ILogger logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith("Microsoft.", StringComparison.Ordinal) || categoryName.StartsWith("Grpc.", StringComparison.Ordinal)
            ? new MinimumLevelLogger(logger, frameworkLevel)
            : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The host owns the inner factory.
    public void Dispose()
    {
    }

    private sealed class MinimumLevelLogger(ILogger inner, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
