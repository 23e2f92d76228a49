using System.Collections.Concurrent;
using Npgsql;

namespace CaseExchange.Situations.Referral;

/// <summary>
/// Pseudonyms such as S-2026-0042: one PostgreSQL sequence per council and year. Sequences never block
/// concurrent referrals; a referral that fails leaves a gap, which is harmless.
/// </summary>
/// <remarks>
/// Each process reserves <see cref="BlockSize"/> numbers of a sequence in one round trip and hands them out in order, so
/// that a referral costs no round trip of its own for its pseudonym: the next block is fetched in the background once half
/// of the current one is used (one round trip every <see cref="BlockSize"/> referrals, which nobody waits for). Numbers
/// stay unique per council and year — every one is drawn from the sequence, which never gives a number twice — but with
/// several nodes they no longer follow the order of referral across nodes, and the numbers a stopped process had reserved
/// and not used are gaps. A pseudonym was never meant to be unguessable: it is a counter, read as such.
/// </remarks>
public sealed class Pseudonyms(NpgsqlDataSource dataSource)
{
    public const int BlockSize = 32;

    private readonly ConcurrentDictionary<string, Reserve> _reserves = new();

    public async Task<string> NextAsync(string council, int year, CancellationToken cancellation = default)
    {
        // Council codes are validated (lowercase, digits, dashes) before they become tenants.
        var sequence = $"caseexchange.pseudonym_{council.Replace('-', '_')}_{year}";
        var reserve = _reserves.GetOrAdd(sequence, _ => new Reserve());
        while (true)
        {
            if (reserve.Numbers.TryDequeue(out var next))
            {
                // Half the block used: the next one is fetched meanwhile, so that concurrent referrals do not all wait for it.
                if (reserve.Numbers.Count < BlockSize / 2 && reserve.Refill.Wait(0)) _ = PrefetchAsync(sequence, reserve);
                return $"S-{year}-{next:D4}";
            }
            await reserve.Refill.WaitAsync(cancellation);
            try
            {
                // Another referral may have refilled it while this one waited.
                if (reserve.Numbers.IsEmpty) await RefillAsync(sequence, reserve, cancellation);
            }
            finally
            {
                reserve.Refill.Release();
            }
        }
    }

    /// <summary>A refill nobody waits for (the gate already taken); a failure is left to the next referral's own refill.</summary>
    private async Task PrefetchAsync(string sequence, Reserve reserve)
    {
        try
        {
            if (reserve.Numbers.Count < BlockSize / 2) await RefillAsync(sequence, reserve, CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The queue runs dry and the next referral refills it itself, meeting the same failure if it lasts.
        }
        finally
        {
            reserve.Refill.Release();
        }
    }

    private async Task RefillAsync(string sequence, Reserve reserve, CancellationToken cancellation)
    {
        if (!reserve.SequenceExists)
        {
            await CreateSequenceAsync(sequence, cancellation);
            reserve.SequenceExists = true;
        }
        // Drawn one by one in one statement: ascending, and never shared with another process.
        await using var command = dataSource.CreateCommand($"select nextval('{sequence}') from generate_series(1, {BlockSize})");
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var numbers = new List<long>(BlockSize);
        while (await reader.ReadAsync(cancellation)) numbers.Add(reader.GetInt64(0));
        numbers.Sort();
        foreach (var number in numbers) reserve.Numbers.Enqueue(number);
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

    /// <summary>The numbers this process holds for one sequence, and the gate that lets one referral at a time fetch more.</summary>
    private sealed class Reserve
    {
        public ConcurrentQueue<long> Numbers { get; } = new();
        public SemaphoreSlim Refill { get; } = new(1, 1);
        public bool SequenceExists { get; set; }
    }
}
