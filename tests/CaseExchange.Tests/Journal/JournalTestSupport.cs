using CaseExchange.Journal;
using CaseExchange.Tests.Infrastructure;
using Marten;
using Npgsql;

namespace CaseExchange.Tests.Journal;

/// <summary>A service with a test council whose members stand for every position of the charter.</summary>
public class JournalFixture : CouncilFixture
{
    protected override string Code => "journal";
}

public static class JournalTestSupport
{
    public const string Purpose = "preparation-seance";

    /// <summary>The journal entries of a council (of one situation), oldest first, read from the event store.</summary>
    public static async Task<IReadOnlyList<AccessJournalled>> JournalAsync(this TestService service, string council, Guid? situationId = null)
    {
        await using var session = service.Store.QuerySession(council);
        IQueryable<AccessJournalled> entries = session.Events.QueryRawEventDataOnly<AccessJournalled>();
        if (situationId is { } id) entries = entries.Where(e => e.SituationId == id);
        return [.. (await entries.ToListAsync()).OrderBy(e => e.At).ThenBy(e => e.Sequence)];
    }

    public static Task<HttpResponseMessage> OpenFileAsync(this TestService service, TestCouncil council, string subject, Guid situationId,
        object? body = null) =>
        service.PostAsync(subject, $"{council.Api}/situations/{situationId}/file-openings", body ?? new { purpose = Purpose });

    /// <summary>The journal rows of a council exactly as stored (jsonb as text): what a database dump would show.</summary>
    public static async Task<string> StoredJournalAsync(this TestService service, string council)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "select coalesce(string_agg(data::text, E'\\n'), '') from caseexchange.mt_events where tenant_id = $1 and type like '%journal%'", connection)
        {
            Parameters = { new() { Value = council } },
        };
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>SQL straight to the service's database: the tampering and failure tests work below the service.</summary>
    public static async Task<int> ExecuteSqlAsync(this TestService service, string sql, params object?[] parameters)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync();
    }
}
