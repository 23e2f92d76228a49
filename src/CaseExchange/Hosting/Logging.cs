using Marten;
using Marten.Services;
using Npgsql;

namespace CaseExchange.Hosting;

/// <summary>
/// Structured logs that never carry a request body, an SQL parameter or a decrypted value. No HTTP body
/// logging is ever enabled; Marten gets a logger that records SQL failures without their parameters.
/// </summary>
public static class Logging
{
    public static void AddCaseExchangeLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        PinFrameworkCategories(builder.Logging);
        if (builder.Environment.IsDevelopment())
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        else
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
    }

    /// <summary>
    /// Framework categories that write request lines (path and query string, where a search may hold a name), request
    /// bodies or a client's malformed input. Pinned here, after the configuration's rules, so that raising
    /// <c>Microsoft.AspNetCore</c> to Information or Debug in appsettings does not bring them back; what they would say
    /// that an operator needs (a failed request, its status) is in the service's own logs and the proxy's access log.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, LogLevel> PinnedCategories = new Dictionary<string, LogLevel>
    {
        ["Microsoft.AspNetCore.Hosting.Diagnostics"] = LogLevel.Warning,       // "Request starting GET /api/...?pseudonyme=..."
        ["Microsoft.AspNetCore.HttpLogging"] = LogLevel.None,                   // request and response lines, headers, bodies
        ["Microsoft.AspNetCore.W3CLogging"] = LogLevel.None,
        ["Microsoft.AspNetCore.Routing"] = LogLevel.Warning,                    // request paths and matched route values
        ["Microsoft.AspNetCore.StaticFiles"] = LogLevel.Warning,
        ["Microsoft.AspNetCore.Server.Kestrel.BadRequests"] = LogLevel.Warning, // quotes the malformed request line
        ["Microsoft.AspNetCore.Mvc.ModelBinding"] = LogLevel.Warning,
        ["Microsoft.AspNetCore.Http.Result"] = LogLevel.Warning,
        ["Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = LogLevel.None, // KnownExceptionsAsProblems logs types only
    };

    private static void PinFrameworkCategories(ILoggingBuilder logging)
    {
        foreach (var (category, level) in PinnedCategories) logging.AddFilter(category, level);
    }
}

/// <summary>Marten's default logger prints parameter values on failure (and at Debug); this one never does.</summary>
internal sealed class ParameterFreeMartenLogger(ILogger<ParameterFreeMartenLogger> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Database schema change applied");

    public void LogSuccess(NpgsqlCommand command) { }

    public void LogSuccess(NpgsqlBatch batch) { }

    public void LogFailure(NpgsqlCommand command, Exception ex) => LogFailure(ex);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => LogFailure(ex);

    public void LogFailure(Exception ex, string message) => LogFailure(ex);

    private void LogFailure(Exception ex)
    {
        // SqlState tells an operator what happened; messages and details may quote row data.
        var sqlState = (ex as PostgresException)?.SqlState ?? (ex.InnerException as PostgresException)?.SqlState;
        logger.LogWarning("Database command failed: {ExceptionType} {SqlState}", ex.GetType().Name, sqlState);
    }

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }
}
