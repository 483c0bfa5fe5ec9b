SELECT
  `t2`.`_row`,
  `t2`.`days_before_analytics_cutoff`,
  `t2`.`__e0`
FROM (
  SELECT
    `t1`.`_row`,
    `t1`.`days_before_analytics_cutoff`,
    `t1`.`__gap_0`,
    `t1`.`__judged_0`,
    (
      `t1`.`days_before_analytics_cutoff` IS NOT NULL
    )
    AND NOT (
      COALESCE(TRUE AND (
        `t1`.`days_before_analytics_cutoff` <= 0
      ), FALSE)
    ) AS `__e0`
  FROM (
    SELECT
      `t0`.`_row`,
      IF(
        FALSE
        OR COALESCE(
          CAST(FLOOR(ieee_divide(CAST(`t0`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
          FALSE
        ),
        CAST(NULL AS INT64),
        20299 - CAST(FLOOR(ieee_divide(CAST(`t0`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64)
      ) AS `days_before_analytics_cutoff`,
      COALESCE(
        CAST(FLOOR(ieee_divide(CAST(`t0`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
        FALSE
      ) AS `__gap_0`,
      NOT (
        FALSE
        OR COALESCE(
          CAST(FLOOR(ieee_divide(CAST(`t0`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
          FALSE
        )
      ) AS `__judged_0`
    FROM `src` AS `t0`
  ) AS `t1`
) AS `t2`
WHERE
  FALSE OR COALESCE(`t2`.`__e0`, FALSE)
