"""Service records (志愿服务记录证明): a resident's approved actions over a period, verifiable by anyone."""
