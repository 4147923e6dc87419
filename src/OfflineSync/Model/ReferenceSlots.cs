using System.ComponentModel;
using System.Runtime.InteropServices;

namespace OfflineSync;

/// <summary>
/// Walks collections of keys for generated <c>VisitReferences</c> methods. Not meant to be called by
/// application code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ReferenceSlots
{
    /// <summary>Visits every element of a list in place.</summary>
    public static void VisitList<TTarget, TKey, TVisitor>(List<TKey>? list, ref TVisitor visitor)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
        where TVisitor : struct, IReferenceVisitor
    {
        if (list is null)
        {
            return;
        }

        foreach (ref TKey key in CollectionsMarshal.AsSpan(list))
        {
            visitor.Visit<TTarget, TKey>(ref key);
        }
    }

    /// <summary>Visits every element of an array in place.</summary>
    public static void VisitArray<TTarget, TKey, TVisitor>(TKey[]? array, ref TVisitor visitor)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
        where TVisitor : struct, IReferenceVisitor
    {
        if (array is null)
        {
            return;
        }

        foreach (ref TKey key in array.AsSpan())
        {
            visitor.Visit<TTarget, TKey>(ref key);
        }
    }

    /// <summary>Visits every element of an <see cref="IList{T}"/>, writing back only the elements that changed.</summary>
    public static void VisitIList<TTarget, TKey, TVisitor>(IList<TKey>? list, ref TVisitor visitor)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
        where TVisitor : struct, IReferenceVisitor
    {
        switch (list)
        {
            case null:
                return;
            case List<TKey> concrete:
                VisitList<TTarget, TKey, TVisitor>(concrete, ref visitor);
                return;
            case TKey[] array:
                VisitArray<TTarget, TKey, TVisitor>(array, ref visitor);
                return;
        }

        for (int i = 0; i < list.Count; i++)
        {
            TKey key = list[i];
            visitor.Visit<TTarget, TKey>(ref key);
            if (!EqualityComparer<TKey>.Default.Equals(key, list[i]))
            {
                list[i] = key;
            }
        }
    }

    /// <summary>
    /// Visits every element of a set. A set cannot be written in place, so when a key changes the
    /// set is rebuilt from the visited keys; when nothing changes nothing is allocated.
    /// </summary>
    public static void VisitSet<TTarget, TKey, TVisitor>(HashSet<TKey>? set, ref TVisitor visitor)
        where TTarget : class, ISyncEntity<TTarget>
        where TKey : notnull
        where TVisitor : struct, IReferenceVisitor
    {
        if (set is null || set.Count == 0)
        {
            return;
        }

        TKey[]? visited = null;
        int index = 0;
        foreach (TKey original in set)
        {
            TKey key = original;
            visitor.Visit<TTarget, TKey>(ref key);
            if (visited is null && !EqualityComparer<TKey>.Default.Equals(key, original))
            {
                // First change: copy the keys visited so far, unchanged, then keep collecting.
                visited = new TKey[set.Count];
                int copied = 0;
                foreach (TKey earlier in set)
                {
                    if (copied == index)
                    {
                        break;
                    }

                    visited[copied++] = earlier;
                }
            }

            if (visited is not null)
            {
                visited[index] = key;
            }

            index++;
        }

        if (visited is not null)
        {
            set.Clear();
            set.UnionWith(visited);
        }
    }
}
