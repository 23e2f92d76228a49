using Npgsql;

namespace CaseExchange.Tests.Infrastructure;

public static class EventCounts
{
    /// <summary>
    /// Events other than access-journal entries: what "changes nothing" means for a refused request, whose server-side
    /// identity check is itself journalled (a <c>controle-serveur</c> entry) before the refusal.
    /// </summary>
    public static async Task<long> NonJournalEventCountAsync(this TestService service)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from caseexchange.mt_events where type not like '%journal%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
