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
        if (builder.Environment.IsDevelopment())
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        else
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
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
