using CaseExchange.Journal;
using Marten;

namespace CaseExchange.Protection;

/// <summary>
/// The vault's one door for reading: the only code that unwraps a situation's key to open its ciphertext. It demands
/// the receipt of a committed, granted journal entry for that very situation and council, so that nothing is ever
/// decrypted that the journal does not already show. Sealing is elsewhere and write-only (<see cref="SituationSealer"/>).
/// </summary>
public sealed class VaultReader(SituationKeys keys)
{
    /// <summary>The situation named by the receipt, opened; a 410 problem when erased, 503 when the key ring is unavailable.</summary>
    public async Task<OpenedSituation> OpenAsync(IQuerySession session, JournalReceipt receipt, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        if (!receipt.Granted) throw new InvalidOperationException("A refused access opens nothing.");
        if (receipt.Council != session.TenantId) throw new InvalidOperationException("The receipt is another council's.");
        return new OpenedSituation(await keys.UnwrapAsync(session, receipt.SituationId, cancellation), receipt);
    }
}

/// <summary>
/// NOMINATIVE ONCE USED: one situation opened by <see cref="VaultReader"/> for one journalled access. Made by the reader
/// only; it opens that situation's values and nothing else, and cannot seal.
/// </summary>
public sealed class OpenedSituation
{
    private readonly SituationCipher _cipher;

    internal OpenedSituation(SituationCipher cipher, JournalReceipt receipt)
    {
        _cipher = cipher;
        Receipt = receipt;
    }

    public JournalReceipt Receipt { get; }

    public Guid SituationId => _cipher.SituationId;

    public string Open(string field, SealedText sealedText) => _cipher.Open(field, sealedText);

    public T OpenJson<T>(string field, SealedText sealedText) => _cipher.OpenJson<T>(field, sealedText);

    public override string ToString() => $"[situation ouverte {SituationId:N}]";
}
