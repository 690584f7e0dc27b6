// SPDX-License-Identifier: GPL-2.0
/*
 * daxcheck: create FILE and fail unless the kernel says it is DAX.
 * The guest runs it after every mount, so no number is ever taken on a
 * filesystem that silently fell back to the page cache.
 */
#include "lib/bench.h"

#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	bench_set_name("daxcheck");
	if (argc != 2)
		die("usage: daxcheck FILE");
	fd = open(argv[1], O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		die_errno("create %s", argv[1]);
	require_dax(fd, argv[1]);
	close(fd);
	return 0;
}
