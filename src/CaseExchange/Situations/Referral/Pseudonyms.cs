using System.Collections.Concurrent;
using Npgsql;

namespace CaseExchange.Situations.Referral;

/// <summary>
/// Pseudonyms such as S-2026-0042: one PostgreSQL sequence per council and year. Sequences never block
/// concurrent referrals; a referral that fails leaves a gap, which is harmless.
/// </summary>
public sealed class Pseudonyms(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<string, bool> _created = new();

    public async Task<string> NextAsync(string council, int year, CancellationToken cancellation = default)
    {
        // Council codes are validated (lowercase, digits, dashes) before they become tenants.
        var sequence = $"caseexchange.pseudonym_{council.Replace('-', '_')}_{year}";
        if (!_created.ContainsKey(sequence))
        {
            await CreateSequenceAsync(sequence, cancellation);
            _created[sequence] = true;
        }
        await using var command = dataSource.CreateCommand($"select nextval('{sequence}')");
        var next = (long)(await command.ExecuteScalarAsync(cancellation))!;
        return $"S-{year}-{next:D4}";
    }

    private async Task CreateSequenceAsync(string sequence, CancellationToken cancellation)
    {
        try
        {
            await using var command = dataSource.CreateCommand($"create sequence if not exists {sequence}");
            await command.ExecuteNonQueryAsync(cancellation);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another node created it at the same instant.
        }
    }
}
