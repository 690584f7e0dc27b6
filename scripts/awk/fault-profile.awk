#!/usr/bin/awk -f
# Where a re-fault's instructions go, per kernel, exactly: the kernel
# instructions of two boots that differ only in the number of measured
# re-fault repetitions (tools/tbcount.c counts of every translation
# block), subtracted and divided by the extra faults, per symbol of each
# kernel's System.map.  scripts/fault-profile.sh drives it.
#
# Input, per column (a variant, or device-dax), in the order shown; the
# words before each file are awk assignments:
#   col=NAME per=FAULTS kind=map System.map kind=plus MORE.txt
#            kind=minus FEWER.txt
# MORE.txt and FEWER.txt are tbcount.txt files ("vaddr insns count").
#
# Output, tab-separated, for scripts/fault-profile.sh to lay out:
#   cols <TAB> NAME ...                       the columns, in order
#   group <TAB> GROUP <TAB> per column ...    instructions per fault
#   sym <TAB> SYMBOL <TAB> per column ...     every symbol that has at
#                                             least MIN_SHOWN in a column
# Everything the kernel runs per repetition counts, not only the fault:
# the munmap()/mmap() between repetitions (zapping the PTEs) and the
# counter reads are the groups "unmap and mmap" and "syscalls".
function group(sym) {
	if (sym ~ /^(grab_mapping_entry|dax_unlock_entry|dax_lock_entry|dax_wake_entry|get_unlocked_entry|put_unlocked_entry|wait_entry_unlocked|dax_entry_waitqueue|xa_load|__xa_.*|xas_.*)$/)
		return "entry lock and XArray"
	if (sym ~ /^(_*dax_insert_entry|dax_store_populated_entry|dax_associate_entry|dax_add_pfn_entries|dax_create_pfns)$/ || sym ~ /populate/)
		return "entry insert"
	if (sym ~ /^(ext[24]_|__ext4_|__check_block_validity|xfs_|iomap_|jbd2_|__jbd2_)/ || sym ~ /get_block/)
		return "filesystem"
	if (sym ~ /^(dax_direct_access|__pmem_direct_access|pmem_dax_direct_access|dax_alive|dax_read_lock|dax_read_unlock|__srcu_read_lock|__srcu_read_unlock)$/)
		return "dax device"
	if (sym ~ /^dax_stats/)
		return "syscalls"
	if (sym ~ /dax/)
		return "dax fault code"
	if (sym ~ /^(down_read|up_read|down_read_trylock|down_write|up_write|rwsem_.*|down_write_killable)$/)
		return "rwsems"
	if (sym ~ /^(zap_|unmap_|__munmap|do_vmi_|do_mas_|vm_area_|vma_|mmap_region|do_mmap|__do_munmap|free_pgtables|free_pgd_range|free_p[mu4]d_range|free_pte_range|tlb_|__tlb_|flush_tlb|native_flush_tlb|lru_add_drain|release_pages|mas_|mab_|mtree_store|get_unmapped_area|arch_get_unmapped_area|vm_unmapped_area|__pte_free|pte_free|___pte_free|free_unref_page|free_pcppages|__free_one_page|ksys_mmap|vm_mmap|__vm_munmap|security_mmap|perf_event_mmap|userfaultfd_unmap)/)
		return "unmap and mmap"
	if (sym ~ /^(entry_SYSCALL|do_syscall_64|syscall_|__x64_sys_|ksys_|vfs_|seq_|debugfs_|full_proxy_|simple_read|__fdget|fput|__fput|fdget|rw_verify_area|security_file|_copy_to_user|copy_user|__check_object_size|kfree|__kmalloc|kmalloc|dax_stats_|exit_to_user_mode|syscall_exit)/)
		return "syscalls"
	return "mm and arch"
}

# The index of the last symbol of column c at or below address a (hex
# strings of equal length compare as numbers).
function lookup(c, a,    lo, hi, mid) {
	lo = 1
	hi = nsym[c]
	if (hi == 0 || a < addr[c, 1])
		return 0
	while (lo < hi) {
		mid = int((lo + hi + 1) / 2)
		if (addr[c, mid] <= a)
			lo = mid
		else
			hi = mid - 1
	}
	return lo
}

BEGIN {
	ngroups = split("entry lock and XArray,entry insert,filesystem,dax device,dax fault code,rwsems,mm and arch,unmap and mmap,syscalls", order, ",")
	if (MIN_SHOWN == "")
		MIN_SHOWN = 10
}

FNR == 1 && !(col in seen) {
	seen[col] = 1
	cols[++ncols] = col
	faults[col] = per
	if (per + 0 <= 0) {
		printf "fault-profile.awk: column %s: per=%s is not a number of faults\n", col, per > "/dev/stderr"
		bad = 1
		exit 1
	}
}

# System.map: text symbols only, in address order
kind == "map" {
	if ($2 ~ /^[tTwW]$/ && length($1) == 16) {
		n = ++nsym[col]
		addr[col, n] = $1
		name[col, n] = $3
	}
	next
}

kind == "plus" || kind == "minus" {
	if (NF != 3 || length($1) != 16) {
		printf "fault-profile.awk: %s:%d is not a tbcount line\n", FILENAME, FNR > "/dev/stderr"
		bad = 1
		exit 1
	}
	i = lookup(col, $1)
	s = i ? name[col, i] : "(no symbol)"
	v = $2 * $3 / faults[col]
	if (kind == "minus")
		v = -v
	ins[col, s] += v
	syms[s] = 1
	next
}

END {
	if (bad)
		exit 1
	line = "cols"
	for (c = 1; c <= ncols; c++)
		line = line "\t" cols[c]
	print line
	for (s in syms) {
		shown = 0
		line = "sym\t" s
		for (c = 1; c <= ncols; c++) {
			v = ins[cols[c], s]
			gsum[cols[c], group(s)] += v
			total[cols[c]] += v
			if (v >= MIN_SHOWN)
				shown = 1
			line = line sprintf("\t%.0f", v)
		}
		if (shown)
			print line
	}
	for (g = 1; g <= ngroups; g++) {
		line = "group\t" order[g]
		for (c = 1; c <= ncols; c++)
			line = line sprintf("\t%.0f", gsum[cols[c], order[g]])
		print line
	}
	line = "group\tall kernel code"
	for (c = 1; c <= ncols; c++)
		line = line sprintf("\t%.0f", total[cols[c]])
	print line
}
